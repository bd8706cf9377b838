//! English given names and their familiar forms (Tom / Thomas, Bill / William): news writes
//! one person both ways ("Tom Barrack", "Thomas Barrack"), so with the same surname two such
//! first names are one person.
//!
//! Each line is one name's family: the formal name first, then its common short and familiar
//! forms. A form listed under two names (Al: Albert, Alan) joins each of them, never the two
//! formal names with each other.

use std::collections::HashMap;
use std::sync::OnceLock;

const FAMILIES: &str = "\
abigail abby abbie gail
albert al bert bertie
alexander alex alec sandy
alexandra alex sandra sandy
alfred al alfie fred
andrew andy drew
anthony tony
barbara barb barbie
benjamin ben benny
catherine cathy kate katie cat
charles charlie chuck chas
christopher chris kit
cynthia cindy
daniel dan danny
david dave davy
deborah debbie deb
donald don donnie
douglas doug
edward ed eddie ted ned
elizabeth liz beth betsy betty lizzie eliza
frederick fred freddie
gerald jerry gerry
gregory greg
henry hank harry
jacob jake
james jim jimmy jamie
jeffrey jeff
jennifer jen jenny
john jack johnny
jonathan jon
joseph joe joey
joshua josh
katherine kathy kate katie kathryn
kenneth ken kenny
lawrence larry
leonard leo len lenny
margaret maggie meg peggy marge
matthew matt
michael mike mikey
mitchell mitch
nathaniel nate nat
nicholas nick nicky
patricia pat patty tricia
patrick pat paddy
peter pete
philip phil
phillip phil
raymond ray
rebecca becky becca
richard rick dick rich ricky
robert bob rob bobby robbie bert
ronald ron ronnie
samuel sam sammy
stephen steve
steven steve
susan sue susie
theodore ted teddy theo
thomas tom tommy
timothy tim timmy
victoria vicky tori
vincent vince
walter walt
william bill will billy willie liam
zachary zach
";

/// Each name's families (line numbers in [`FAMILIES`]).
fn families() -> &'static HashMap<&'static str, Vec<usize>> {
    static MAP: OnceLock<HashMap<&'static str, Vec<usize>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, line) in FAMILIES.lines().enumerate() {
            for name in line.split_whitespace() {
                m.entry(name).or_default().push(i);
            }
        }
        m
    })
}

/// The family lines of `name` (lower case) whose formal name it is, or all when it is a form.
fn lines_of(name: &str) -> &'static [usize] {
    families().get(name).map(Vec::as_slice).unwrap_or(&[])
}

/// Whether two different first names (lower case) are forms of one given name: they share a
/// family and one of them is that family's formal name, or both are forms of it.
pub(super) fn variants(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let formal = |line: usize| {
        FAMILIES
            .lines()
            .nth(line)
            .and_then(|l| l.split_whitespace().next())
    };
    lines_of(a).iter().any(|la| {
        lines_of(b).contains(la) && {
            // Two formal names never join through a form they share (Stephen, Steven).
            let (fa, fb) = (formal(*la) == Some(a), formal(*la) == Some(b));
            !(fa && fb) && (fa || fb || lines_of(a).len() == 1 || lines_of(b).len() == 1)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn familiar_forms_join_their_given_name() {
        assert!(variants("tom", "thomas"));
        assert!(variants("thomas", "tom"));
        assert!(variants("bill", "william"));
        assert!(variants("bob", "rob"), "two forms of one name");
        assert!(variants("al", "albert") && variants("al", "alan") == variants("alan", "al"));
    }

    #[test]
    fn a_father_and_his_son_stay_apart_and_the_suffix_is_no_surname() {
        use super::super::{same_person, surname};
        assert_eq!(surname("jesse l. jackson jr."), "jackson");
        assert!(!same_person("jesse l. jackson", "jesse l. jackson jr."));
        assert!(same_person("jesse jackson jr.", "jesse l. jackson jr."));
        assert!(same_person("tom barrack", "thomas barrack"));
    }

    #[test]
    fn different_names_stay_apart() {
        assert!(!variants("thomas", "william"));
        assert!(!variants("stephen", "steven"), "two formal names");
        assert!(!variants("albert", "alfred"), "only a form in common");
        assert!(!variants("tom", "tom"));
        assert!(!variants("hadar", "leah"));
    }
}
