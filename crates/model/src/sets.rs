//! Closed sets of values: verdicts, modalities, severities, TimeML types and date evidence.
//! Each serialises as the string it always had in JSON (`"single_origin"`, `"DATE"`), so the
//! JSON contract is unchanged while the code matches on variants instead of strings.

use serde::{Deserialize, Serialize};

/// Declares a closed set: the enum, its JSON string per variant, `as_str`, `parse`, `ALL` and
/// `Display`.
macro_rules! closed_set {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $var),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The value's JSON string.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $s),+
                }
            }

            /// The value named by its JSON string.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($s => Some($name::$var),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_set! {
    /// A claim group's verdict.
    Verdict {
        /// Two or more independent origins state compatible values.
        Corroborated => "corroborated",
        /// Origins state incompatible values.
        Contested => "contested",
        /// The incompatible values are each asserted by different named parties.
        Disputed => "disputed",
        /// One independent origin states it.
        SingleOrigin => "single_origin",
    }
}

closed_set! {
    /// How a claim is put forward.
    Modality {
        Asserted => "asserted",
        /// "reportedly", "according to".
        Reported => "reported",
        /// "leaks hint", "may", "suggest".
        Speculative => "speculative",
        /// "plans", "will".
        Planned => "planned",
        Expected => "expected",
    }
}

closed_set! {
    /// How strongly two values of a conflict disagree.
    Severity {
        /// The values exclude each other.
        Hard => "hard",
        /// They disagree within a margin (approximations, scopes, vague counts).
        Soft => "soft",
    }
}

closed_set! {
    /// TimeML type of a temporal expression.
    TimexType {
        Date => "DATE",
        Time => "TIME",
        Duration => "DURATION",
        Set => "SET",
    }
}

closed_set! {
    /// Where a piece of evidence for an event's date comes from.
    DateSource {
        Dateline => "dateline",
        Published => "published",
        Caption => "caption",
        Text => "text",
        /// The date of another article of the same event.
        Sibling => "sibling",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_round_trip() {
        for v in Verdict::ALL {
            let j = serde_json::to_string(v).unwrap();
            assert_eq!(j, format!("\"{}\"", v.as_str()));
            assert_eq!(serde_json::from_str::<Verdict>(&j).unwrap(), *v);
            assert_eq!(Verdict::parse(v.as_str()), Some(*v));
        }
        assert_eq!(
            serde_json::to_string(&TimexType::Duration).unwrap(),
            "\"DURATION\""
        );
        assert_eq!(Severity::parse("medium"), None);
        assert!(serde_json::from_str::<Modality>("\"certain\"").is_err());
    }
}
