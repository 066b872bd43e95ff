//! The small Markdown subset of the årsredovisning texts, parsed into data.
//!
//! The kansli writes the texts as plain text with three rules:
//! - paragraphs are separated by blank lines (lines within a paragraph are joined with a space);
//! - a line starting with `- ` or `* ` is a bullet (an indented line right after a bullet continues it);
//! - `**bold**` inside text.
//!
//! Nothing else means anything: `#`, `<script>`, `[x](y)`, backslashes, `_`, single `*` and Typst
//! syntax such as `#read("/etc/passwd")` are literal text. The result is data ([`Block`]s of
//! [`Span`]s), so a document template receives strings to print, never markup to interpret.

use serde::{Deserialize, Serialize};

/// A run of text, bold or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: false,
        }
    }

    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: true,
        }
    }
}

/// A paragraph, or a bullet list whose items are runs of spans.
/// JSON: `{"type": "paragraph", "content": [span, …]}`, `{"type": "list", "content": [[span, …], …]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum Block {
    Paragraph(Vec<Span>),
    List(Vec<Vec<Span>>),
}

/// Parses a text into blocks. Never fails: what is not one of the three rules is text.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush_paragraph(&mut blocks, &mut paragraph);
            flush_list(&mut blocks, &mut items);
            continue;
        }
        let start = line.trim_start();
        if let Some(item) = start
            .strip_prefix("- ")
            .or_else(|| start.strip_prefix("* "))
        {
            flush_paragraph(&mut blocks, &mut paragraph);
            items.push(item.trim().to_owned());
        } else if !items.is_empty() && line.starts_with(char::is_whitespace) {
            // An indented line right after a bullet continues it.
            let last = items.last_mut().expect("items is not empty");
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(trimmed);
        } else {
            flush_list(&mut blocks, &mut items);
            paragraph.push(trimmed);
        }
    }
    flush_paragraph(&mut blocks, &mut paragraph);
    flush_list(&mut blocks, &mut items);
    blocks
}

fn flush_paragraph(blocks: &mut Vec<Block>, lines: &mut Vec<&str>) {
    if !lines.is_empty() {
        blocks.push(Block::Paragraph(spans(&lines.join(" "))));
        lines.clear();
    }
}

fn flush_list(blocks: &mut Vec<Block>, items: &mut Vec<String>) {
    let list: Vec<Vec<Span>> = items
        .drain(..)
        .filter(|i| !i.is_empty())
        .map(|i| spans(&i))
        .collect();
    if !list.is_empty() {
        blocks.push(Block::List(list));
    }
}

/// Splits text into spans at `**` pairs. A `**` without a partner, or around nothing but
/// whitespace, is literal text.
pub fn spans(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut push = |text: &str, bold: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.bold == bold => last.text.push_str(text),
            _ => out.push(Span {
                text: text.to_owned(),
                bold,
            }),
        }
    };
    let mut rest = text;
    while let Some(open) = rest.find("**") {
        let after = &rest[open + 2..];
        match after.find("**") {
            Some(close) if !after[..close].trim().is_empty() => {
                push(&rest[..open], false);
                push(&after[..close], true);
                rest = &after[close + 2..];
            }
            _ => {
                push(&rest[..open + 2], false);
                rest = after;
            }
        }
    }
    push(rest, false);
    out
}

/// The text without markup: paragraphs separated by blank lines, bullets as `- ` lines.
pub fn plain_text(blocks: &[Block]) -> String {
    let text = |spans: &[Span]| spans.iter().map(|s| s.text.as_str()).collect::<String>();
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(s) => text(s),
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {}", text(i)))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Block {
        Block::Paragraph(vec![Span::plain(text)])
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines_and_lines_joined() {
        let t = "Förbundet har under året\nhaft 1,0 årsarbetande.\n\n  \nAndra stycket.\r\nSamma stycke.\n";
        assert_eq!(
            parse(t),
            [
                p("Förbundet har under året haft 1,0 årsarbetande."),
                p("Andra stycket. Samma stycke.")
            ]
        );
        assert_eq!(parse(""), []);
        assert_eq!(parse("\n \n\t\n"), []);
    }

    #[test]
    fn bullets_start_with_a_dash_or_a_star_and_a_space() {
        let t = "Målen:\n- förbundets administrativa kostnader\n  inte över 20 %\n* kapitalet utan risk\n-155 574 kr är inget listobjekt\n\n- ny lista";
        assert_eq!(
            parse(t),
            [
                p("Målen:"),
                Block::List(vec![
                    vec![Span::plain(
                        "förbundets administrativa kostnader inte över 20 %"
                    )],
                    vec![Span::plain("kapitalet utan risk")],
                ]),
                p("-155 574 kr är inget listobjekt"),
                Block::List(vec![vec![Span::plain("ny lista")]]),
            ]
        );
        // Empty bullets are dropped; "*text" and "-text" are not bullets.
        assert_eq!(parse("- \n*inte fet*\n-inte"), [p("*inte fet* -inte")]);
    }

    #[test]
    fn bold_inside_text() {
        assert_eq!(
            spans("Eget kapital **1 483 897 kr** utgör **18,5 %**."),
            [
                Span::plain("Eget kapital "),
                Span::bold("1 483 897 kr"),
                Span::plain(" utgör "),
                Span::bold("18,5 %"),
                Span::plain("."),
            ]
        );
        assert_eq!(
            parse("- **SE-Höglandet**: 42 till arbete"),
            [Block::List(vec![vec![
                Span::bold("SE-Höglandet"),
                Span::plain(": 42 till arbete")
            ]])]
        );
        // Bold runs across the lines of a paragraph.
        assert_eq!(
            parse("**två\nrader**"),
            [Block::Paragraph(vec![Span::bold("två rader")])]
        );
    }

    #[test]
    fn unpaired_or_empty_stars_are_literal() {
        for t in [
            "**ensam",
            "a ** b",
            "****",
            "** **",
            "2 * 3 = 6",
            "*kursiv*",
            "_understruken_",
        ] {
            assert_eq!(spans(t), [Span::plain(t)], "{t}");
        }
        assert_eq!(spans("**a**b**"), [Span::bold("a"), Span::plain("b**")]);
    }

    #[test]
    fn everything_else_is_literal_text() {
        for t in [
            "# Rubrik",
            "<script>alert(1)</script>",
            "[länk](https://example.com)",
            r"C:\temp\fil \*inte fet\*",
            r#"#read("/etc/passwd")"#,
            "#set page(width: 1cm) $x^2$ @ref <label> `kod` = Rubrik",
            "1. numrerat",
            "> citat",
        ] {
            assert_eq!(parse(t), [p(t)], "{t}");
        }
        // A backslash escapes nothing: the stars still pair.
        assert_eq!(spans(r"\**fet**"), [Span::plain(r"\"), Span::bold("fet")]);
    }

    #[test]
    fn serialized_as_tagged_data() {
        let blocks = parse("Hej **du**\n\n- ett\n- två");
        let v = serde_json::to_value(&blocks).unwrap();
        assert_eq!(
            v,
            serde_json::json!([
                {"type": "paragraph", "content": [{"text": "Hej ", "bold": false}, {"text": "du", "bold": true}]},
                {"type": "list", "content": [[{"text": "ett", "bold": false}], [{"text": "två", "bold": false}]]}
            ])
        );
        let back: Vec<Block> = serde_json::from_value(v).unwrap();
        assert_eq!(back, blocks);
    }

    #[test]
    fn plain_text_drops_the_markup() {
        let blocks = parse("Hej **du**\nigen\n\n* ett\n- två");
        assert_eq!(plain_text(&blocks), "Hej du igen\n\n- ett\n- två");
    }
}
