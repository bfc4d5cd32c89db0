//! Inline SVG charts: a pie of used against free space and a column chart. No script
//! and no remote resource; each chart carries a `<title>` and a `<desc>` and is named
//! by them (`aria-labelledby`), and the page shows the same numbers as a table.

use maud::{html, Markup};

/// The pie's radius and centre, in its 200 × 200 view box.
const PIE_RADIUS: f64 = 90.0;
const PIE_CENTRE: f64 = 100.0;

/// The point on the pie's rim at `fraction` of a full turn, clockwise from the top.
pub fn rim_point(fraction: f64) -> (f64, f64) {
    let angle = fraction * std::f64::consts::TAU;
    (
        PIE_CENTRE + PIE_RADIUS * angle.sin(),
        PIE_CENTRE - PIE_RADIUS * angle.cos(),
    )
}

/// The path of the slice from `start` to `end` (fractions of a turn).
fn slice_path(start: f64, end: f64) -> String {
    let (x0, y0) = rim_point(start);
    let (x1, y1) = rim_point(end);
    let large = u8::from(end - start > 0.5);
    format!(
        "M{PIE_CENTRE},{PIE_CENTRE} L{x0:.3},{y0:.3} A{PIE_RADIUS},{PIE_RADIUS} 0 {large},1 {x1:.3},{y1:.3} Z"
    )
}

/// A pie of `used` against the rest of `limit` (bytes); `id` makes the title and the
/// description's ids unique on the page. Each part is a `path` with
/// `data-part="used|free"` and `data-fraction`; a part that is the whole pie is a
/// circle (an arc cannot close on itself).
pub fn pie(id: &str, title: &str, description: &str, used: u64, limit: u64) -> Markup {
    let fraction = if limit == 0 {
        0.0
    } else {
        (used as f64 / limit as f64).clamp(0.0, 1.0)
    };
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        svg class="chart pie" id=(id) viewBox="0 0 200 200" role="img"
            aria-labelledby={ (title_id) " " (desc_id) } {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            @if fraction <= 0.0 {
                circle class="part free" data-part="free" data-fraction="1"
                    cx=(PIE_CENTRE) cy=(PIE_CENTRE) r=(PIE_RADIUS) {}
            } @else if fraction >= 1.0 {
                circle class="part used" data-part="used" data-fraction="1"
                    cx=(PIE_CENTRE) cy=(PIE_CENTRE) r=(PIE_RADIUS) {}
            } @else {
                path class="part used" data-part="used" data-fraction=(format!("{fraction:.6}"))
                    d=(slice_path(0.0, fraction)) {}
                path class="part free" data-part="free" data-fraction=(format!("{:.6}", 1.0 - fraction))
                    d=(slice_path(fraction, 1.0)) {}
            }
        }
    }
}

/// One column of a column chart.
pub struct Column {
    /// The label under it ("11-05", "2026-11").
    pub label: String,
    /// What `data-key` holds (the day or the month, ISO).
    pub key: String,
    /// The value, or None for a gap (no data that day).
    pub value: Option<u64>,
    /// The value as the reader reads it, for the column's tooltip.
    pub text: String,
}

/// A column chart of `columns`, scaled to the largest value; `scale_label` is the
/// reader's text of that value. Columns without a value leave a gap; every column
/// with one is a `rect` with `class="column"` and `data-key`.
pub fn columns(
    id: &str,
    title: &str,
    description: &str,
    columns: &[Column],
    scale_label: &str,
) -> Markup {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 220.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 30.0;
    const LEFT: f64 = 10.0;
    let plot = HEIGHT - TOP - BOTTOM;
    let max = columns
        .iter()
        .filter_map(|c| c.value)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = (WIDTH - 2.0 * LEFT) / columns.len().max(1) as f64;
    let bar = (slot * 0.7).max(1.0);
    // About six labels on the axis, whatever the number of columns.
    let every = columns.len().div_ceil(6).max(1);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        svg class="chart columns" id=(id) viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img"
            aria-labelledby={ (title_id) " " (desc_id) } preserveAspectRatio="xMidYMid meet" {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            line class="axis" x1=(LEFT) y1=(TOP + plot) x2=(WIDTH - LEFT) y2=(TOP + plot) {}
            line class="grid" x1=(LEFT) y1=(TOP) x2=(WIDTH - LEFT) y2=(TOP) {}
            text class="scale" x=(LEFT) y=(TOP - 6.0) { (scale_label) }
            @for (i, column) in columns.iter().enumerate() {
                @let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
                @if let Some(value) = column.value {
                    @let height = (value as f64 / max as f64 * plot).max(1.0);
                    rect class="column" data-key=(column.key) data-value=(value)
                        x=(format!("{x:.2}")) y=(format!("{:.2}", TOP + plot - height))
                        width=(format!("{bar:.2}")) height=(format!("{height:.2}")) {
                        title { (column.label) ": " (column.text) }
                    }
                }
                @if i % every == 0 {
                    text class="label" x=(format!("{:.2}", x + bar / 2.0)) y=(HEIGHT - 10.0)
                        text-anchor="middle" { (column.label) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_used_slice_ends_where_its_share_says() {
        let markup = pie("p", "t", "d", 1 << 30, 4 << 30).into_string();
        // A quarter: from the top to the right-hand rim.
        assert!(markup.contains("A90,90 0 0,1 190.000,100.000"), "{markup}");
        assert!(
            markup.contains(r#"data-part="free" data-fraction="0.750000""#),
            "{markup}"
        );
        let full = pie("p", "t", "d", 5, 4).into_string();
        assert!(full.contains("circle") && !full.contains(r#"data-part="free""#));
    }

    #[test]
    fn one_column_for_each_value_and_gaps_for_none() {
        let data: Vec<Column> = (0..30)
            .map(|d| Column {
                label: format!("{d}"),
                key: format!("k{d}"),
                value: (d % 3 == 0).then_some(d as u64 * 10),
                text: String::new(),
            })
            .collect();
        let markup = columns("c", "t", "d", &data, "max").into_string();
        assert_eq!(markup.matches("<rect class=\"column\"").count(), 10);
        assert!(markup.contains("<title id=\"c-title\">t</title>"));
    }
}
