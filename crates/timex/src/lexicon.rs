//! The word list: every word that can start or take part in a temporal expression, mapped to
//! a small code. Words not in the list can still occur inside expressions only where a rule
//! asks for them by their spelling (rare), so the scanner skips them cheaply.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Calendar and clock units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
}

impl Unit {
    /// Is the unit part of the time (PT...) section of an ISO 8601 duration?
    pub(crate) fn is_clock(self) -> bool {
        matches!(self, Unit::Second | Unit::Minute | Unit::Hour)
    }
}

/// Parts of the day (TIMEX3 `TMO`, `TAF`, ... or a clock time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PartDay {
    Morning,
    Afternoon,
    Evening,
    Night,
    Noon,
    Midnight,
    Overnight,
}

impl PartDay {
    pub(crate) fn code(self) -> &'static str {
        match self {
            PartDay::Morning => "MO",
            PartDay::Afternoon => "AF",
            PartDay::Evening => "EV",
            PartDay::Night | PartDay::Overnight => "NI",
            PartDay::Noon => "12:00",
            PartDay::Midnight => "24:00",
        }
    }
}

/// Deictic and vague date words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateWord {
    Today,
    Tomorrow,
    Yesterday,
    Tonight,
    Now,
    Currently,
    Current,
    Recently,
    Recent,
    Soon,
    Formerly,
    Previously,
    Nowadays,
    Lately,
    Future,
    Present,
}

/// Named days with a fixed or computable date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holiday {
    Christmas,
    Thanksgiving,
    Easter,
    Halloween,
    Hanukkah,
    NewYear,
    Independence,
    Labor,
    Memorial,
    Election,
    Valentine,
    Veterans,
    Columbus,
}

/// Function words the rules look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fw {
    The,
    A,
    An,
    This,
    That,
    These,
    Those,
    Next,
    Last,
    Past,
    Previous,
    Coming,
    Following,
    Prior,
    Latest,
    Upcoming,
    Same,
    Of,
    In,
    On,
    At,
    By,
    Since,
    Until,
    Ago,
    Earlier,
    Later,
    Before,
    After,
    Early,
    Late,
    Mid,
    Middle,
    Beginning,
    End,
    Start,
    About,
    Around,
    Approximately,
    Roughly,
    Nearly,
    Almost,
    Some,
    Over,
    Under,
    More,
    Less,
    Fewer,
    Least,
    Up,
    No,
    Than,
    Circa,
    Every,
    Each,
    Per,
    Once,
    Twice,
    Times,
    Several,
    Few,
    Couple,
    Many,
    Fiscal,
    And,
    Or,
    To,
    So,
    Period,
    Term,
    Time,
    Moment,
    Near,
    Short,
    Long,
    Turn,
    Full,
    Entire,
    Whole,
    Additional,
    Trading,
    Business,
    Old,
    Older,
    Younger,
    Will,
    Would,
    Shall,
    Scheduled,
    Expected,
    Due,
    Plans,
    Planned,
    Set,
    Eve,
    Ahead,
    Final,
    Within,
    Half,
    Other,
    Then,
    As,
    Age,
}

/// What the lexicon knows about a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lex {
    None,
    /// Month number; `bool`: an abbreviation ("Sept.").
    Month(u8, bool),
    /// ISO weekday 1 = Monday; `bool`: an abbreviation.
    Weekday(u8, bool),
    WeekdayPl(u8),
    /// 0 spring, 1 summer, 2 fall, 3 winter.
    Season(u8),
    SeasonPl(u8),
    Unit(Unit),
    UnitPl(Unit),
    Num(u32),
    Ord(u32),
    Date(DateWord),
    PartDay(PartDay),
    PartDayPl(PartDay),
    /// daily, weekly, ...: a set with this period.
    SetWord(Unit),
    Holiday(Holiday),
    /// a.m. (false) / p.m. (true)
    AmPm(bool),
    Tz,
    /// twenties .. nineties: the decade's tens digit.
    DecadeWord(u8),
    W(Fw),
}

/// A fast, non-cryptographic hasher for the short ASCII keys of the lexicon (FNV-1a).
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type LexMap = HashMap<&'static [u8], Lex, BuildHasherDefault<Fnv>>;

/// Longest word in the lexicon (longer words are skipped without a lookup).
pub(crate) const MAX_WORD: usize = 16;

pub(crate) fn build() -> LexMap {
    use self::DateWord as DW;
    use self::Holiday as H;
    use self::PartDay as PD;
    use self::Unit as U;
    use Lex::*;
    let mut m: LexMap = HashMap::default();
    let mut put = |w: &'static str, l: Lex| {
        debug_assert!(w.len() <= MAX_WORD);
        m.insert(w.as_bytes(), l);
    };
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (k, name) in months.iter().enumerate() {
        put(name, Month(k as u8 + 1, false));
    }
    for (w, k) in [
        ("jan", 1),
        ("feb", 2),
        ("febr", 2),
        ("mar", 3),
        ("apr", 4),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ] {
        put(w, Month(k, true));
    }
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let plural = [
        "mondays",
        "tuesdays",
        "wednesdays",
        "thursdays",
        "fridays",
        "saturdays",
        "sundays",
    ];
    for k in 0..7 {
        put(days[k], Weekday(k as u8 + 1, false));
        put(plural[k], WeekdayPl(k as u8 + 1));
    }
    for (w, k) in [
        ("mon", 1),
        ("tue", 2),
        ("tues", 2),
        ("wed", 3),
        ("thu", 4),
        ("thur", 4),
        ("thurs", 4),
        ("fri", 5),
        ("sat", 6),
        ("sun", 7),
    ] {
        put(w, Weekday(k, true));
    }
    for (w, s) in [
        ("spring", 0),
        ("summer", 1),
        ("fall", 2),
        ("autumn", 2),
        ("winter", 3),
    ] {
        put(w, Season(s));
    }
    for (w, s) in [
        ("springs", 0),
        ("summers", 1),
        ("autumns", 2),
        ("winters", 3),
    ] {
        put(w, SeasonPl(s));
    }
    for (w, u) in [
        ("second", U::Second),
        ("minute", U::Minute),
        ("hour", U::Hour),
        ("day", U::Day),
        ("week", U::Week),
        ("weekend", U::Weekend),
        ("fortnight", U::Fortnight),
        ("month", U::Month),
        ("quarter", U::Quarter),
        ("year", U::Year),
        ("decade", U::Decade),
        ("century", U::Century),
        ("millennium", U::Millennium),
    ] {
        put(w, Unit(u));
    }
    for (w, u) in [
        ("seconds", U::Second),
        ("minutes", U::Minute),
        ("hours", U::Hour),
        ("days", U::Day),
        ("weeks", U::Week),
        ("weekends", U::Weekend),
        ("fortnights", U::Fortnight),
        ("months", U::Month),
        ("quarters", U::Quarter),
        ("years", U::Year),
        ("decades", U::Decade),
        ("centuries", U::Century),
        ("millennia", U::Millennium),
    ] {
        put(w, UnitPl(u));
    }
    let ones = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    for (k, w) in ones.iter().enumerate() {
        put(w, Num(k as u32 + 1));
    }
    for (w, n) in [
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fifty", 50),
        ("sixty", 60),
        ("seventy", 70),
        ("eighty", 80),
        ("ninety", 90),
        ("hundred", 100),
        ("thousand", 1000),
        ("dozen", 12),
    ] {
        put(w, Num(n));
    }
    let ords = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    for (k, w) in ords.iter().enumerate() {
        // "second" is both an ordinal and a unit; the rules ask for the unit by spelling.
        put(w, Ord(k as u32 + 1));
    }
    for (w, n) in [("twentieth", 20), ("thirtieth", 30), ("twenty-first", 21)] {
        put(w, Ord(n));
    }
    for (w, d) in [
        ("twenties", 2),
        ("thirties", 3),
        ("forties", 4),
        ("fifties", 5),
        ("sixties", 6),
        ("seventies", 7),
        ("eighties", 8),
        ("nineties", 9),
    ] {
        put(w, DecadeWord(d));
    }
    for (w, d) in [
        ("today", DW::Today),
        ("tomorrow", DW::Tomorrow),
        ("yesterday", DW::Yesterday),
        ("tonight", DW::Tonight),
        ("now", DW::Now),
        ("currently", DW::Currently),
        ("current", DW::Current),
        ("recently", DW::Recently),
        ("recent", DW::Recent),
        ("soon", DW::Soon),
        ("formerly", DW::Formerly),
        ("previously", DW::Previously),
        ("nowadays", DW::Nowadays),
        ("lately", DW::Lately),
        ("future", DW::Future),
        ("present", DW::Present),
    ] {
        put(w, Date(d));
    }
    for (w, p) in [
        ("morning", PD::Morning),
        ("afternoon", PD::Afternoon),
        ("evening", PD::Evening),
        ("night", PD::Night),
        ("noon", PD::Noon),
        ("midday", PD::Noon),
        ("midnight", PD::Midnight),
        ("overnight", PD::Overnight),
    ] {
        put(w, PartDay(p));
    }
    for (w, p) in [
        ("mornings", PD::Morning),
        ("afternoons", PD::Afternoon),
        ("evenings", PD::Evening),
        ("nights", PD::Night),
    ] {
        put(w, PartDayPl(p));
    }
    for (w, u) in [
        ("hourly", U::Hour),
        ("daily", U::Day),
        ("nightly", U::Day),
        ("weekly", U::Week),
        ("biweekly", U::Fortnight),
        ("monthly", U::Month),
        ("quarterly", U::Quarter),
        ("annually", U::Year),
        ("yearly", U::Year),
        ("annual", U::Year),
    ] {
        put(w, SetWord(u));
    }
    for (w, h) in [
        ("christmas", H::Christmas),
        ("xmas", H::Christmas),
        ("thanksgiving", H::Thanksgiving),
        ("easter", H::Easter),
        ("halloween", H::Halloween),
        ("hanukkah", H::Hanukkah),
        ("new", H::NewYear),
        ("independence", H::Independence),
        ("labor", H::Labor),
        ("labour", H::Labor),
        ("memorial", H::Memorial),
        ("election", H::Election),
        ("valentine", H::Valentine),
        ("veterans", H::Veterans),
        ("columbus", H::Columbus),
    ] {
        put(w, Holiday(h));
    }
    put("a.m.", AmPm(false));
    put("a.m", AmPm(false));
    put("am", AmPm(false));
    put("p.m.", AmPm(true));
    put("p.m", AmPm(true));
    put("pm", AmPm(true));
    for w in [
        "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet", "cest",
        "et", "pt",
    ] {
        put(w, Tz);
    }
    use Fw as F;
    for (w, f) in [
        ("the", F::The),
        ("a", F::A),
        ("an", F::An),
        ("this", F::This),
        ("that", F::That),
        ("these", F::These),
        ("those", F::Those),
        ("next", F::Next),
        ("last", F::Last),
        ("past", F::Past),
        ("previous", F::Previous),
        ("coming", F::Coming),
        ("following", F::Following),
        ("prior", F::Prior),
        ("latest", F::Latest),
        ("upcoming", F::Upcoming),
        ("same", F::Same),
        ("of", F::Of),
        ("in", F::In),
        ("on", F::On),
        ("at", F::At),
        ("by", F::By),
        ("since", F::Since),
        ("until", F::Until),
        ("ago", F::Ago),
        ("earlier", F::Earlier),
        ("later", F::Later),
        ("before", F::Before),
        ("after", F::After),
        ("early", F::Early),
        ("late", F::Late),
        ("mid", F::Mid),
        ("middle", F::Middle),
        ("beginning", F::Beginning),
        ("end", F::End),
        ("start", F::Start),
        ("about", F::About),
        ("around", F::Around),
        ("approximately", F::Approximately),
        ("roughly", F::Roughly),
        ("nearly", F::Nearly),
        ("almost", F::Almost),
        ("some", F::Some),
        ("over", F::Over),
        ("under", F::Under),
        ("more", F::More),
        ("less", F::Less),
        ("fewer", F::Fewer),
        ("least", F::Least),
        ("up", F::Up),
        ("no", F::No),
        ("than", F::Than),
        ("circa", F::Circa),
        ("every", F::Every),
        ("each", F::Each),
        ("per", F::Per),
        ("once", F::Once),
        ("twice", F::Twice),
        ("times", F::Times),
        ("several", F::Several),
        ("few", F::Few),
        ("couple", F::Couple),
        ("many", F::Many),
        ("fiscal", F::Fiscal),
        ("and", F::And),
        ("or", F::Or),
        ("to", F::To),
        ("so", F::So),
        ("period", F::Period),
        ("term", F::Term),
        ("time", F::Time),
        ("moment", F::Moment),
        ("near", F::Near),
        ("short", F::Short),
        ("long", F::Long),
        ("turn", F::Turn),
        ("full", F::Full),
        ("entire", F::Entire),
        ("whole", F::Whole),
        ("additional", F::Additional),
        ("trading", F::Trading),
        ("business", F::Business),
        ("old", F::Old),
        ("older", F::Older),
        ("younger", F::Younger),
        ("will", F::Will),
        ("would", F::Would),
        ("shall", F::Shall),
        ("scheduled", F::Scheduled),
        ("expected", F::Expected),
        ("due", F::Due),
        ("plans", F::Plans),
        ("plan", F::Plans),
        ("planning", F::Plans),
        ("planned", F::Planned),
        ("set", F::Set),
        ("eve", F::Eve),
        ("ahead", F::Ahead),
        ("final", F::Final),
        ("within", F::Within),
        ("half", F::Half),
        ("other", F::Other),
        ("then", F::Then),
        ("as", F::As),
        ("age", F::Age),
    ] {
        put(w, W(f));
    }
    m
}
