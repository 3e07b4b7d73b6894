//! The server-rendered bar chart of cases opened and closed per month: plain SVG (no script)
//! that scales to its box (a `viewBox`, no fixed size, so a phone never scrolls the page
//! sideways), with gridlines and their values, a legend in HTML, a name for assistive
//! technology and the same figures in a visually hidden table.

use crate::{activity::MonthCount, components::format_month};
use leptos::prelude::*;

/// The drawing's own units; the page scales them to the width it has.
const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 280.0;
const TOP: f64 = 12.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
/// Room under the plot for the month and, below it, the year.
const BOTTOM: f64 = 44.0;
const FONT: &str = "14";
/// The bars' colours: the same as the legend's swatches (`.swatch.opened`, `.swatch.closed`).
const OPENED: &str = "#0a4f9e";
const CLOSED: &str = "#8a6a00";
/// At most this many month labels fit under the plot; longer ranges label every n-th month.
const MAX_LABELS: usize = 12;

/// The step between gridlines: 1, 2 or 5 times a power of ten, so that at most four steps
/// reach `max`.
fn grid_step(max: i64) -> i64 {
    let mut magnitude = 1_i64;
    loop {
        for m in [1, 2, 5] {
            if m * magnitude * 4 >= max {
                return m * magnitude;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// The top of the scale and its step: the largest figure (at least 1) rounded up to a step.
fn scale(months: &[MonthCount]) -> (i64, i64) {
    let max = months
        .iter()
        .map(|m| m.opened.max(m.closed))
        .max()
        .unwrap_or(0)
        .max(1);
    let step = grid_step(max);
    ((max + step - 1) / step * step, step)
}

/// A coordinate with one decimal: enough for the drawing, short in the HTML.
fn at(value: f64) -> String {
    format!("{value:.1}")
}

#[component]
pub fn MonthsChart(months: Vec<MonthCount>, title: String) -> impl IntoView {
    let (top, step) = scale(&months);
    let base = HEIGHT - BOTTOM;
    let plot = base - TOP;
    let y_of = move |value: i64| base - value.max(0) as f64 * plot / top as f64;
    let n = months.len().max(1);
    let group = (WIDTH - LEFT - RIGHT) / n as f64;
    let bar = (group * 0.36).min(18.0);
    let label_every = n.div_ceil(MAX_LABELS);
    let opened_total: i64 = months.iter().map(|m| m.opened).sum();
    let closed_total: i64 = months.iter().map(|m| m.closed).sum();
    let summary = format!(
        "{title}: {opened_total} opened and {closed_total} closed over {}; the figures are in the table below.",
        crate::components::count(i64::try_from(months.len()).unwrap_or(0), "month", "months")
    );
    let grid = (0..=top / step)
        .map(|i| {
            let value = i * step;
            let y = at(y_of(value));
            let colour = if value == 0 { "#4a4a4a" } else { "#d0d0d0" };
            view! {
                <line x1=at(LEFT) y1=y.clone() x2=at(WIDTH - RIGHT) y2=y.clone() stroke=colour />
                <text x=at(LEFT - 6.0) y=at(y_of(value) + 5.0) font-size=FONT text-anchor="end">
                    {value}
                </text>
            }
        })
        .collect_view();
    let mut last_year = String::new();
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let readable = format_month(&m.month);
            let (month, year) = readable
                .split_once(' ')
                .map(|(m, y)| (m.to_owned(), y.to_owned()))
                .unwrap_or_else(|| (readable.clone(), String::new()));
            let centre = LEFT + group * (i as f64 + 0.5);
            let (x_opened, x_closed) = (centre - bar - 1.0, centre + 1.0);
            let (y_opened, y_closed) = (y_of(m.opened), y_of(m.closed));
            // A month's name under every labelled month; its year under the first of each year.
            let labelled = i % label_every == 0;
            let show_year = labelled && year != last_year;
            if show_year {
                last_year = year.clone();
            }
            view! {
                <g>
                    <rect
                        x=at(x_opened)
                        y=at(y_opened)
                        width=at(bar)
                        height=at(base - y_opened)
                        fill=OPENED
                    >
                        <title>{format!("{readable}: {} opened", m.opened)}</title>
                    </rect>
                    <rect
                        x=at(x_closed)
                        y=at(y_closed)
                        width=at(bar)
                        height=at(base - y_closed)
                        fill=CLOSED
                    >
                        <title>{format!("{readable}: {} closed", m.closed)}</title>
                    </rect>
                    {labelled.then(|| view! {
                        <text x=at(centre) y=at(base + 18.0) font-size=FONT text-anchor="middle">
                            {month}
                        </text>
                    })}
                    {show_year.then(|| view! {
                        <text x=at(centre) y=at(base + 36.0) font-size=FONT text-anchor="middle">
                            {year}
                        </text>
                    })}
                </g>
            }
        })
        .collect_view();
    let rows = months
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{format_month(&m.month)}</th>
                    <td class="num">{m.opened}</td>
                    <td class="num">{m.closed}</td>
                </tr>
            }
        })
        .collect_view();
    let label = summary.clone();
    view! {
        <figure class="chart">
            <svg
                class="chart"
                role="img"
                aria-label=label
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="xMinYMin meet"
                xmlns="http://www.w3.org/2000/svg"
            >
                <title>{title.clone()}</title>
                <desc>{summary}</desc>
                {grid}
                {bars}
            </svg>
            <figcaption>
                <ul class="legend" aria-label="Legend">
                    <li><span class="swatch opened" aria-hidden="true"></span>"Opened"</li>
                    <li><span class="swatch closed" aria-hidden="true"></span>"Closed"</li>
                </ul>
            </figcaption>
            // Hidden through a wrapper: a table ignores the 1 px width of `.visually-hidden`
            // and would widen the page.
            <div class="visually-hidden">
            <table class="data">
                <caption>{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Month"</th>
                        <th scope="col" class="num">"Opened"</th>
                        <th scope="col" class="num">"Closed"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(opened: i64, closed: i64) -> MonthCount {
        MonthCount {
            month: "2025-12".to_owned(),
            opened,
            closed,
        }
    }

    #[test]
    fn the_scale_rounds_up_to_a_gridline() {
        assert_eq!(scale(&[]), (1, 1));
        assert_eq!(scale(&[month(0, 0)]), (1, 1));
        assert_eq!(scale(&[month(3, 1)]), (3, 1));
        assert_eq!(scale(&[month(7, 2)]), (8, 2));
        assert_eq!(scale(&[month(2, 10)]), (10, 5));
        assert_eq!(scale(&[month(41, 0)]), (60, 20));
        assert_eq!(scale(&[month(1_234, 0)]), (1_500, 500));
    }
}
