//! The FAQ and troubleshooting pages: Markdown kept in the repository (`app/help/*.md`, compiled
//! in), rendered to HTML on the server only, so the browser bundle carries neither the text nor
//! the renderer. Raw HTML in the Markdown is shown as text, never passed through; each heading
//! gets an id from its words, for the page's table of contents.

use crate::help::{HelpContent, TocEntry};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::OnceLock;

const SOURCES: [&str; 2] = [
    include_str!("../../help/faq.md"),
    include_str!("../../help/troubleshooting.md"),
];

/// "Verifying a domain: the TXT record" → "verifying-a-domain-the-txt-record".
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Renders one Markdown text, adding to the table of contents (level 2 headings, with their
/// level 3 headings under them). `used` keeps ids unique across the whole page.
pub fn render(markdown: &str, toc: &mut Vec<TocEntry>, used: &mut Vec<String>) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .map(|event| match event {
            // Our own files, but the rule holds anyway: no markup passes through as markup.
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            other => other,
        })
        .collect();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) = &events[i]
        {
            let mut text = String::new();
            for event in &events[i + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let mut id = slug(&text);
            if id.is_empty() {
                id = "section".to_owned();
            }
            let base = id.clone();
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.push(id.clone());
            match level {
                HeadingLevel::H2 => toc.push(TocEntry {
                    id: id.clone(),
                    title: text,
                    children: Vec::new(),
                }),
                HeadingLevel::H3 => {
                    if let Some(last) = toc.last_mut() {
                        last.children.push((id.clone(), text));
                    }
                }
                _ => {}
            }
            out.push(Event::Start(Tag::Heading {
                level: *level,
                id: Some(CowStr::from(id)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }));
        } else {
            out.push(events[i].clone());
        }
        i += 1;
    }
    let mut html_out = String::new();
    html::push_html(&mut html_out, out.into_iter());
    html_out
}

/// The Help page's content, rendered once per process (the files are compiled in).
pub fn content() -> HelpContent {
    static CONTENT: OnceLock<HelpContent> = OnceLock::new();
    CONTENT
        .get_or_init(|| {
            let mut toc = Vec::new();
            let mut used = Vec::new();
            let sections = SOURCES
                .iter()
                .map(|source| render(source, &mut toc, &mut used))
                .collect();
            HelpContent { sections, toc }
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_and_raw_html_stays_text() {
        let mut toc = Vec::new();
        let mut used = Vec::new();
        let html = render(
            "## Sign-in\n\n### Locked? Yes!\n\n<script>alert(1)</script>\n\n### Locked? Yes!\n",
            &mut toc,
            &mut used,
        );
        assert!(html.contains("<h2 id=\"sign-in\">Sign-in</h2>"), "{html}");
        assert!(html.contains("<h3 id=\"locked-yes\">"), "{html}");
        assert!(html.contains("<h3 id=\"locked-yes-2\">"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert_eq!(toc.len(), 1);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(
            slug("Verifying a domain: the TXT record"),
            "verifying-a-domain-the-txt-record"
        );
    }

    #[test]
    fn the_repository_files_render() {
        let content = content();
        assert_eq!(content.sections.len(), 2);
        let titles: Vec<&str> = content.toc.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Frequently asked questions", "Troubleshooting"]);
        assert!(content.toc[1]
            .children
            .iter()
            .any(|(id, _)| id == "my-account-is-locked"));
    }
}
