//! The thread timeline: events on a date axis as an inline SVG, and the day ranges TimeML
//! dates cover.

use std::fmt::Write;

use model::display::{MONTHS, civil_from_days, days_from_civil, days_in_month, week_monday};

use super::text::esc;

/// The day range `[first, last]` (days since 1970-01-01) a TimeML date value covers:
/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (a time part is ignored), `YYYY-Qn`, `YYYY-Www`.
/// Other values (`PRESENT_REF`, seasons, durations) have no place on an axis.
pub fn date_range(value: &str) -> Option<(i64, i64)> {
    let v = value.split('T').next()?;
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut parts = v.split('-');
    let y = parts.next().filter(|p| p.len() == 4).and_then(num)?;
    let second = parts.next();
    let third = parts.next();
    if parts.next().is_some() {
        return None;
    }
    match (second, third) {
        (None, _) => Some((days_from_civil(y, 1, 1), days_from_civil(y, 12, 31))),
        (Some(q), None) if q.len() == 2 && q.starts_with('Q') => {
            let q = num(&q[1..]).filter(|q| (1..=4).contains(q))? as u32;
            let first = days_from_civil(y, 3 * q - 2, 1);
            let last_m = 3 * q;
            Some((first, days_from_civil(y, last_m, days_in_month(y, last_m))))
        }
        (Some(w), None) if w.len() == 3 && w.starts_with('W') => {
            let w = num(&w[1..]).filter(|w| (1..=53).contains(w))?;
            let start = week_monday(y, w);
            Some((start, start + 6))
        }
        (Some(m), None) => {
            let m = num(m).filter(|m| (1..=12).contains(m))? as u32;
            Some((
                days_from_civil(y, m, 1),
                days_from_civil(y, m, days_in_month(y, m)),
            ))
        }
        (Some(m), Some(d)) => {
            let m = num(m).filter(|m| (1..=12).contains(m))? as u32;
            let d = num(d)? as u32;
            (d >= 1 && d <= days_in_month(y, m)).then(|| {
                let x = days_from_civil(y, m, d);
                (x, x)
            })
        }
    }
}

/// One event as the timeline needs it.
pub struct Point<'a> {
    pub href: String,
    pub label: &'a str,
    pub date: &'a str,
    pub origins: usize,
}

/// Marker radius: grows with the square root of the independent origins, so area tracks the
/// count and a 30-origin event does not swallow the axis.
pub fn radius(origins: usize) -> f64 {
    4.0 + 3.0 * (origins.max(1) as f64).sqrt()
}

/// `s` cut to `n` characters with an ellipsis.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// The SVG timeline of dated points; `None` when no point has a usable date.
pub fn svg(points: &[Point]) -> Option<String> {
    let dated: Vec<(&Point, (i64, i64))> = points
        .iter()
        .filter_map(|p| date_range(p.date).map(|r| (p, r)))
        .collect();
    if dated.is_empty() {
        return None;
    }
    const W: f64 = 960.0;
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 40.0;
    // Height from what is drawn: up to three rows of labels, then the largest marker.
    let rows = dated.len().min(3) as f64;
    let max_r = dated
        .iter()
        .map(|(p, _)| radius(p.origins))
        .fold(0.0, f64::max);
    let axis_y = 18.0 + 22.0 * rows + max_r + 4.0;
    let h = axis_y + 26.0;
    let lo = dated.iter().map(|(_, r)| r.0).min().unwrap_or(0);
    let hi = dated.iter().map(|(_, r)| r.1).max().unwrap_or(0);
    // Pad the axis by a tenth of the span (at least two weeks) so markers are not on the edge.
    let pad = ((hi - lo) / 10).max(14);
    let (lo, hi) = (lo - pad, hi + pad);
    let x = |d: f64| LEFT + (d - lo as f64) / ((hi - lo) as f64) * (W - LEFT - RIGHT);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"timeline\" viewBox=\"0 0 {W} {h:.0}\" width=\"100%\" role=\"img\" aria-label=\"timeline of {} events\">",
        dated.len()
    );
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{axis_y:.1}\" x2=\"{}\" y2=\"{axis_y:.1}\"/>",
        W - RIGHT
    );
    // Ticks: months when the axis spans under about three years, else years; at most ~12.
    let (y0, m0, _) = civil_from_days(lo);
    let span_months = (hi - lo) / 30;
    let monthly = span_months <= 36;
    let step = if monthly {
        (span_months / 12 + 1) as u32
    } else {
        ((span_months / 12) / 12 + 1) as u32
    };
    let (mut y, mut m) = if monthly { (y0, m0) } else { (y0 + 1, 1) };
    if monthly && days_from_civil(y, m, 1) < lo {
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    loop {
        let d = days_from_civil(y, m, 1);
        if d > hi {
            break;
        }
        let tx = x(d as f64);
        let label = if monthly {
            format!("{} {y}", &MONTHS[m as usize - 1][..3])
        } else {
            y.to_string()
        };
        let _ = write!(
            s,
            "<line class=\"tick\" x1=\"{tx:.1}\" y1=\"{axis_y:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/><text class=\"tick\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 5.0,
            axis_y + 18.0,
            esc(&label)
        );
        if monthly {
            m += step;
            while m > 12 {
                m -= 12;
                y += 1;
            }
        } else {
            y += step as i64;
        }
    }
    let mut order: Vec<usize> = (0..dated.len()).collect();
    order.sort_by_key(|&i| dated[i].1);
    for (row, &i) in order.iter().enumerate() {
        let (p, (a, b)) = &dated[i];
        let (xa, xb) = (x(*a as f64), x(*b as f64 + 1.0));
        let cx = (xa + xb) / 2.0;
        let r = radius(p.origins);
        let _ = write!(s, "<a href=\"{}\">", esc(&p.href));
        let _ = write!(
            s,
            "<title>{} ({}, {} independent origin{})</title>",
            esc(p.label),
            esc(&model::display::date(p.date)),
            p.origins,
            if p.origins == 1 { "" } else { "s" }
        );
        if xb - xa > 2.0 * r {
            // A month or a year: draw the period it covers under the marker.
            let _ = write!(
                s,
                "<rect class=\"period\" x=\"{xa:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\"/>",
                axis_y - 3.0,
                xb - xa
            );
        }
        let _ = write!(
            s,
            "<circle class=\"event\" cx=\"{cx:.1}\" cy=\"{axis_y:.1}\" r=\"{r:.1}\"/>"
        );
        // Labels on three staggered rows so neighbours do not overwrite each other.
        let ly = 18.0 + 22.0 * (row % 3) as f64;
        let _ = write!(
            s,
            "<line class=\"leader\" x1=\"{cx:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{:.1}\"/><text class=\"label\" x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\">{}</text></a>",
            ly + 4.0,
            axis_y - r,
            esc(&shorten(p.label, 34))
        );
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_ranges() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        let d = days_from_civil(2026, 1, 28);
        assert_eq!(date_range("2026-01-28"), Some((d, d)));
        assert_eq!(date_range("2026-01-28T10:00"), Some((d, d)));
        assert_eq!(
            date_range("2024-12"),
            Some((days_from_civil(2024, 12, 1), days_from_civil(2024, 12, 31)))
        );
        assert_eq!(
            date_range("2025-Q1"),
            Some((days_from_civil(2025, 1, 1), days_from_civil(2025, 3, 31)))
        );
        // ISO week 1 of 2026 starts on Monday 29 December 2025.
        assert_eq!(
            date_range("2026-W01").unwrap().0,
            days_from_civil(2025, 12, 29)
        );
        for bad in [
            "PRESENT_REF",
            "2025-SU",
            "2025-02-30",
            "x",
            "",
            "2025-13",
            "P1Y",
        ] {
            assert_eq!(date_range(bad), None, "{bad}");
        }
    }

    #[test]
    fn svg_has_one_marker_per_dated_event_sized_by_origins() {
        let pts = [
            Point {
                href: "#event-a".into(),
                label: "Putin meets <al-Sharaa>",
                date: "2026-01-28",
                origins: 4,
            },
            Point {
                href: "#event-b".into(),
                label: "First visit",
                date: "2025-10",
                origins: 1,
            },
            Point {
                href: "#event-c".into(),
                label: "Undated",
                date: "",
                origins: 1,
            },
        ];
        let s = svg(&pts).unwrap();
        assert_eq!(s.matches("<circle").count(), 2);
        assert!(s.contains("&lt;al-Sharaa&gt;") && !s.contains("<al-Sharaa>"));
        assert!(s.contains(&format!("r=\"{:.1}\"", radius(4))));
        assert!(s.contains(">Jan 2026<") || s.contains(">2026<"), "{s}");
        assert!(svg(&pts[2..]).is_none());
    }
}
