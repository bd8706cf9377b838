//! Fixed halves of a development set: rules and models are tuned by looking at half A only,
//! and half B is reported as the figure on data the tuning did not see.
//!
//! The rules depend on an item's position or identifier, never on its content, so a change to
//! the code under test cannot move an item from one half to the other.

/// Which half an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Half {
    /// Tuned on.
    A,
    /// Held apart while tuning.
    B,
}

impl Half {
    /// Alternating by position in a fixed order: even positions A, odd B (balanced halves).
    pub fn of_index(i: usize) -> Half {
        if i.is_multiple_of(2) {
            Half::A
        } else {
            Half::B
        }
    }

    /// Half of each item given its group: groups alternate in order of first appearance, so
    /// that all items of a group (an event, a topic) fall in the same half.
    pub fn of_groups<T: PartialEq>(groups: &[T]) -> Vec<Half> {
        let mut seen: Vec<&T> = Vec::new();
        groups
            .iter()
            .map(|g| {
                let k = seen.iter().position(|s| *s == g).unwrap_or_else(|| {
                    seen.push(g);
                    seen.len() - 1
                });
                Half::of_index(k)
            })
            .collect()
    }

    /// The label printed before a half's figures: `half A (tuned on)`, `half B (held apart)`.
    pub fn label(self) -> &'static str {
        match self {
            Half::A => "half A (tuned on)",
            Half::B => "half B (held apart)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_halves_alternate_and_cover_everything() {
        let halves: Vec<Half> = (0..101).map(Half::of_index).collect();
        let a = halves.iter().filter(|h| **h == Half::A).count();
        let b = halves.iter().filter(|h| **h == Half::B).count();
        assert_eq!((a, b), (51, 50));
        assert_eq!(halves, (0..101).map(Half::of_index).collect::<Vec<_>>());
    }

    #[test]
    fn groups_stay_whole() {
        let g = ["e1", "e1", "e2", "e3", "e2", "e1", "e4"];
        let h = Half::of_groups(&g);
        use Half::{A, B};
        assert_eq!(h, vec![A, A, B, A, B, A, B]);
        for (i, x) in g.iter().enumerate() {
            for (j, y) in g.iter().enumerate() {
                if x == y {
                    assert_eq!(h[i], h[j]);
                }
            }
        }
    }
}
