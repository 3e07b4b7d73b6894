//! The server-rendered bar chart of cases opened and closed per month: plain SVG (no script),
//! named for assistive technology, with the same figures in a visually hidden table.

use crate::activity::MonthCount;
use leptos::prelude::*;

const HEIGHT: i64 = 220;
const TOP: i64 = 16;
const LEFT: i64 = 44;
const BOTTOM: i64 = 48;
const BAR: i64 = 14;
const GROUP: i64 = 40;

/// The highest value of the scale: the largest figure, at least 1.
fn scale_max(months: &[MonthCount]) -> i64 {
    months
        .iter()
        .map(|m| m.opened.max(m.closed))
        .max()
        .unwrap_or(0)
        .max(1)
}

/// The height of a bar of `value` on a scale of `max`.
fn bar_height(value: i64, max: i64) -> i64 {
    let plot = HEIGHT - TOP - BOTTOM;
    (value.max(0) * plot + max / 2) / max
}

#[component]
pub fn MonthsChart(months: Vec<MonthCount>, title: String) -> impl IntoView {
    let max = scale_max(&months);
    let width = LEFT + GROUP * i64::try_from(months.len()).unwrap_or(0) + 16;
    let base = HEIGHT - BOTTOM;
    let opened_total: i64 = months.iter().map(|m| m.opened).sum();
    let closed_total: i64 = months.iter().map(|m| m.closed).sum();
    let label = format!(
        "{title}: {opened_total} opened and {closed_total} closed over {} months; the figures are in the table below.",
        months.len()
    );
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = LEFT + GROUP * i64::try_from(i).unwrap_or(0) + 4;
            let (ho, hc) = (bar_height(m.opened, max), bar_height(m.closed, max));
            let short = m.month.get(2..).unwrap_or(&m.month).to_owned();
            view! {
                <g>
                    <rect x=x y=base - ho width=BAR height=ho fill="#0f6cbd">
                        <title>{format!("{}: {} opened", m.month, m.opened)}</title>
                    </rect>
                    <rect x=x + BAR + 2 y=base - hc width=BAR height=hc fill="#6b6b6b">
                        <title>{format!("{}: {} closed", m.month, m.closed)}</title>
                    </rect>
                    <text x=x + BAR y=base + 16 font-size="10" text-anchor="middle">{short}</text>
                </g>
            }
        })
        .collect_view();
    let rows = months
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{m.month}</th>
                    <td>{m.opened}</td>
                    <td>{m.closed}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                role="img"
                aria-label=label
                width=width
                height=HEIGHT
                viewBox=format!("0 0 {width} {HEIGHT}")
                xmlns="http://www.w3.org/2000/svg"
            >
                <title>{title.clone()}</title>
                <line x1=LEFT y1=TOP x2=LEFT y2=base stroke="#444" />
                <line x1=LEFT y1=base x2=width - 8 y2=base stroke="#444" />
                <text x=LEFT - 6 y=base + 4 font-size="10" text-anchor="end">"0"</text>
                <text x=LEFT - 6 y=TOP + 4 font-size="10" text-anchor="end">{max}</text>
                <text
                    x=12
                    y=(TOP + base) / 2
                    font-size="11"
                    text-anchor="middle"
                    transform=format!("rotate(-90 12 {})", (TOP + base) / 2)
                >
                    "Cases"
                </text>
                <text x=(LEFT + width) / 2 y=HEIGHT - 8 font-size="11" text-anchor="middle">
                    "Month (opened: blue, closed: grey)"
                </text>
                {bars}
            </svg>
            <figcaption>
                <span class="legend opened">"■ Opened"</span>
                " "
                <span class="legend closed">"■ Closed"</span>
            </figcaption>
            <table class="visually-hidden">
                <caption>{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Month"</th>
                        <th scope="col">"Opened"</th>
                        <th scope="col">"Closed"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}
