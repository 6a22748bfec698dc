//! Boilerplate phrases: view counters, "comments are closed", share/print/login prompts,
//! copyright lines, previous/next links — from the built-in lists (`data/<lang>/phrases.txt`,
//! compiled in, see [`crate::lexicon`]) extended with the user's own files (`--phrases FILE`).
//!
//! A phrase file holds one rule per line, `KIND: PATTERN`; `#` starts a comment line. A line
//! `[name]` starts a family — the same notice in several languages, counted together when a
//! phrase's support on real pages is measured — that runs to the next blank line.
//!
//! - `line: Visits: 0` — the whole line is the phrase.
//! - `start: Copyright 2000` — the line begins with the phrase and is short.
//! - `contains: all rights reserved` — the phrase is inside a short line.
//! - `block: Related articles` — the whole line is a header announcing a boilerplate list; the
//!   engine removes the link titles under it too.
//! - `end: Leave a reply` — the whole line is a header after which the article is over (a
//!   comment section); the menu-block detector ends the main text there. `block:` headers end it
//!   too.
//!
//! Patterns are normalized like lines (see [`crate::normalize`]) and matched on the masked key,
//! so case, punctuation, spacing and markup do not matter, and any digit in a pattern stands for
//! any run of digits (`阅读 0` matches `阅读：1,234`). A line that is a whole-line pattern printed
//! twice (`Sponsored LinksSponsored Links`, an icon's label beside the link text) matches it. `start` and `contains` only apply to lines of
//! at most [`MAX_PARTIAL_WEIGHT`]: a paragraph that mentions "all rights reserved" is text.

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::normalize::{KeyBuilder, LineFeatures};

/// Longest line (in key weight) that a `start` or `contains` rule may remove, but see
/// [`LONG_START_MIN_WEIGHT`].
pub const MAX_PARTIAL_WEIGHT: u32 = 160;

/// A `start` rule this heavy (in key weight) and without digits also matches the start of a
/// longer line: a notice paragraph (a cookie category's description, a licence footer) opens
/// with a sentence no article paragraph does.
pub const LONG_START_MIN_WEIGHT: u32 = 24;

/// How a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The whole line.
    Line,
    /// The start of a short line (of any line, for a long rule: see
    /// [`LONG_START_MIN_WEIGHT`]).
    Start,
    /// Anywhere in a short line.
    Contains,
    /// The whole line, announcing a boilerplate list under it.
    Block,
    /// The whole line, a header after which the article is over (comments).
    End,
}

/// One rule, with where it came from.
#[derive(Debug, Clone)]
pub struct Rule {
    /// How it matches.
    pub kind: RuleKind,
    /// The pattern as written.
    pub pattern: String,
    /// `builtin:LANG/phrases.txt:LINE` or `PATH:LINE`.
    pub source: String,
    /// The family the rule belongs to (`[name]` above it in its file), if any.
    pub family: Option<String>,
    masked: String,
}

impl Rule {
    /// `KIND: PATTERN`, as the rule is written.
    pub fn name(&self) -> String {
        let kind = match self.kind {
            RuleKind::Line => "line",
            RuleKind::Start => "start",
            RuleKind::Contains => "contains",
            RuleKind::Block => "block",
            RuleKind::End => "end",
        };
        format!("{kind}: {}", self.pattern)
    }

    /// One of the built-in rules (`data/<lang>/phrases.txt`): evidence the model weighs. A rule
    /// of the user's own files is an order: its lines go.
    pub fn is_builtin(&self) -> bool {
        self.source.starts_with("builtin:")
    }
}

/// A compiled set of rules.
#[derive(Debug)]
pub struct PhraseSet {
    rules: Vec<Rule>,
    whole: HashMap<u64, usize>,
    starts: Option<AhoCorasick>,
    start_ids: Vec<usize>,
    contains: Option<AhoCorasick>,
    contains_ids: Vec<usize>,
    long_starts: Option<AhoCorasick>,
    long_start_ids: Vec<usize>,
}

impl PhraseSet {
    /// The built-in lists plus the given files, in order.
    pub fn load(files: &[impl AsRef<Path>]) -> Result<PhraseSet, Error> {
        let mut rules = builtin_rules()?;
        for f in files {
            let path = f.as_ref();
            let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            rules.extend(parse(&text, &path.display().to_string())?);
        }
        PhraseSet::compile(rules)
    }

    /// An empty set, shared (phrase detection off).
    pub fn none() -> &'static PhraseSet {
        static NONE: std::sync::OnceLock<PhraseSet> = std::sync::OnceLock::new();
        NONE.get_or_init(PhraseSet::empty)
    }

    /// An empty set (phrase detection off).
    pub fn empty() -> PhraseSet {
        PhraseSet {
            rules: Vec::new(),
            whole: HashMap::new(),
            starts: None,
            start_ids: Vec::new(),
            contains: None,
            contains_ids: Vec::new(),
            long_starts: None,
            long_start_ids: Vec::new(),
        }
    }

    /// The set without the built-in rules named in `off` (as [`Rule::name`] gives them): those a
    /// model was trained without.
    pub fn without(self, off: &[String]) -> Result<PhraseSet, Error> {
        if off.is_empty() {
            return Ok(self);
        }
        let off: std::collections::HashSet<&str> = off.iter().map(String::as_str).collect();
        let rules = self
            .rules
            .into_iter()
            .filter(|r| !(r.is_builtin() && off.contains(r.name().as_str())))
            .collect();
        PhraseSet::compile(rules)
    }

    /// Every rule, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The user's phrase files the rules came from, in order, each once.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = Vec::new();
        for r in self.rules.iter().filter(|r| !r.is_builtin()) {
            let file = r
                .source
                .rsplit_once(':')
                .map_or(r.source.as_str(), |(f, _)| f);
            if files.last().is_none_or(|last| last != file) {
                files.push(file.to_string());
            }
        }
        files.dedup();
        files
    }

    /// Compiles parsed rules.
    pub fn compile(rules: Vec<Rule>) -> Result<PhraseSet, Error> {
        let mut set = PhraseSet::empty();
        let mut start_pats = Vec::new();
        let mut contains_pats = Vec::new();
        let mut long_start_pats = Vec::new();
        let mut kb = KeyBuilder::new();
        for (i, r) in rules.iter().enumerate() {
            match r.kind {
                RuleKind::Line | RuleKind::Block | RuleKind::End => {
                    set.whole
                        .entry(xxhash_rust::xxh3::xxh3_64(r.masked.as_bytes()))
                        .or_insert(i);
                }
                RuleKind::Start => {
                    start_pats.push(r.masked.clone());
                    set.start_ids.push(i);
                    if !r.masked.contains('#')
                        && kb.analyze_str(&r.masked).weight >= LONG_START_MIN_WEIGHT
                    {
                        long_start_pats.push(r.masked.clone());
                        set.long_start_ids.push(i);
                    }
                }
                RuleKind::Contains => {
                    contains_pats.push(r.masked.clone());
                    set.contains_ids.push(i);
                }
            }
        }
        let build = |pats: &[String], kind: StartKind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .start_kind(kind)
                .build(pats)
                .map_err(|e| Error::Config(format!("cannot compile phrase list: {e}")))
        };
        if !start_pats.is_empty() {
            set.starts = Some(build(&start_pats, StartKind::Anchored)?);
        }
        if !contains_pats.is_empty() {
            set.contains = Some(build(&contains_pats, StartKind::Unanchored)?);
        }
        if !long_start_pats.is_empty() {
            set.long_starts = Some(build(&long_start_pats, StartKind::Anchored)?);
        }
        set.rules = rules;
        Ok(set)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule with this index.
    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules[index]
    }

    /// The first rule matching a line, given its key, masked key (empty for a line too long to
    /// have one) and features.
    pub fn find(&self, key: &str, masked: &str, feat: &LineFeatures) -> Option<usize> {
        if feat.blank || key.is_empty() {
            return None;
        }
        if let Some(&i) = self.whole.get(&feat.masked_hash)
            && self.rules[i].masked == masked
        {
            return Some(i);
        }
        // A link whose text a page prints twice (an icon's label and the visible text:
        // `Sponsored LinksSponsored Links`) matches as its one copy.
        if feat.weight <= MAX_PARTIAL_WEIGHT
            && let Some(half) = doubled(masked)
            && let Some(&i) = self.whole.get(&xxhash_rust::xxh3::xxh3_64(half.as_bytes()))
            && self.rules[i].masked == half
        {
            return Some(i);
        }
        if feat.weight > MAX_PARTIAL_WEIGHT {
            // A long rule without digits reads the same on the key as on the masked key.
            let ac = self.long_starts.as_ref()?;
            let m = ac.find(Input::new(key).anchored(Anchored::Yes))?;
            return Some(self.long_start_ids[m.pattern().as_usize()]);
        }
        if let Some(ac) = &self.starts
            && let Some(m) = ac.find(Input::new(masked).anchored(Anchored::Yes))
        {
            return Some(self.start_ids[m.pattern().as_usize()]);
        }
        if let Some(ac) = &self.contains
            && let Some(m) = ac.find(masked)
        {
            return Some(self.contains_ids[m.pattern().as_usize()]);
        }
        None
    }
}

/// The first half of `key` when the second half repeats it.
fn doubled(key: &str) -> Option<&str> {
    let mid = key.len() / 2;
    let (a, b) = (key.get(..mid)?, key.get(mid..)?);
    (!a.is_empty() && a == b).then_some(a)
}

/// The rules of every built-in phrase file, in order of language.
pub fn builtin_rules() -> Result<Vec<Rule>, Error> {
    let mut rules = Vec::new();
    for file in crate::lexicon::builtin(crate::lexicon::FileKind::Phrases) {
        rules.extend(parse(file.text, &format!("builtin:{}", file.name))?);
    }
    Ok(rules)
}

/// Parses a phrase file; `origin` names it in errors and in each rule's `source`.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Rule>, Error> {
    let mut kb = KeyBuilder::new();
    let mut rules = Vec::new();
    let mut family: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            family = None;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.split_once(']').map(|(name, _)| name.trim());
            match name {
                Some(name) if !name.is_empty() => family = Some(name.to_string()),
                _ => {
                    return Err(Error::Phrases {
                        path: origin.into(),
                        line: n + 1,
                        message: format!("expected a family header `[name]`, got {line:?}"),
                    });
                }
            }
            continue;
        }
        let err = |message: String| Error::Phrases {
            path: origin.into(),
            line: n + 1,
            message,
        };
        let Some((kind, pattern)) = line.split_once(':') else {
            return Err(err(format!(
                "expected `line: PHRASE`, `start: PHRASE`, `contains: PHRASE`, `block: PHRASE` or `end: PHRASE`, got {line:?}"
            )));
        };
        let kind = match kind.trim() {
            "line" => RuleKind::Line,
            "start" => RuleKind::Start,
            "contains" => RuleKind::Contains,
            "block" => RuleKind::Block,
            "end" => RuleKind::End,
            other => {
                return Err(err(format!(
                    "unknown rule kind {other:?}: use line, start, contains, block or end"
                )));
            }
        };
        let pattern = pattern.trim();
        let feat = kb.analyze(pattern.as_bytes());
        if feat.weight > crate::normalize::MASKED_MAX_WEIGHT {
            return Err(err(format!(
                "pattern {pattern:?} is too long: phrases match lines of weight at most {}",
                crate::normalize::MASKED_MAX_WEIGHT
            )));
        }
        if kb.masked().is_empty() {
            return Err(err(format!(
                "pattern {pattern:?} has no letters or digits to match"
            )));
        }
        rules.push(Rule {
            kind,
            pattern: pattern.to_string(),
            source: format!("{origin}:{}", n + 1),
            family: family.clone(),
            masked: kb.masked().to_string(),
        });
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(set: &PhraseSet, line: &str) -> Option<String> {
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(line.as_bytes());
        set.find(kb.key(), kb.masked(), &f)
            .map(|i| set.rule(i).pattern.clone())
    }

    #[test]
    fn builtin_rules_are_each_written_once() {
        // A whole-line rule matches what any other whole-line rule of the same text would.
        let whole = |k: RuleKind| matches!(k, RuleKind::Line | RuleKind::Block | RuleKind::End);
        let rules = builtin_rules().unwrap();
        let mut seen = std::collections::HashMap::new();
        for r in &rules {
            let kind = if whole(r.kind) {
                RuleKind::Line
            } else {
                r.kind
            };
            if let Some(first) = seen.insert((kind, r.masked.clone()), r.source.clone()) {
                panic!("{:?} at {} repeats {first}", r.pattern, r.source);
            }
        }
    }

    #[test]
    fn builtin_list_parses_and_matches_known_boilerplate() {
        let set = PhraseSet::load(&[] as &[&str]).unwrap();
        assert!(set.len() > 50);
        for line in [
            "Visits: 0",
            "    Visits: 12",
            "评论被关闭。",
            "阅读 123",
            "Comments are closed.",
            "Copyright © 2024 Valley Herald. All rights reserved.",
            "© 2023 Example Ltd",
            "Share this:",
            "Print",
            "Log in",
            "上一篇：春天来了",
            "Next post: Winter plans",
            "版权所有 © 山谷日报",
            "Schreibe einen Kommentar Antworten abbrechen",
            "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.",
            "Votre adresse e-mail ne sera pas publiée.",
            "Deja un comentario",
            "Folgen Sie uns",
            "Navigation schliessen",
            "Scroll to top",
            "Zurück zur Übersicht",
            "Post navigation",
            "友情链接",
            "相关链接",
            "Lascia un commento Annulla risposta",
            "Teilen Sie dies mit:",
            "Sharing is caring!",
            "Sponsored Links",
            "Artigos relacionados",
            "Privacy Preference Center",
            "Allow All",
            "微信扫一扫",
            "相关推荐",
            "Post as a guest",
            "Please enable JavaScript to view the comments powered by Disqus.",
            "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
            "Follow this answer to receive notifications",
            "CC BY-SA 4.0",
            "■ 我来说两句",
            "请各位遵纪守法并注意语言文明。",
            "最热评论",
            "Site design / logo © 2025 Stack Exchange Inc; user contributions licensed under CC BY-SA.",
            "Email (required)",
            "Du kommentierst mit Deinem Google-Konto. ( Abmelden / Ändern )",
            "You are commenting using your Twitter account. ( Log Out / Change )",
            "Enter your email address to subscribe to this blog and receive notifications of new posts by email.",
            "Gib deine E-Mail-Adresse ein, um diesem Blog zu folgen und per E-Mail Benachrichtigungen über neue Beiträge zu erhalten.",
            "Posts: 1,204",
            "Sponsored LinksSponsored Links",
        ] {
            assert!(hit(&set, line).is_some(), "{line:?} should match");
        }
    }

    #[test]
    fn article_text_is_not_a_phrase() {
        let set = PhraseSet::load(&[] as &[&str]).unwrap();
        for line in [
            "Copyright law protects original works of authorship.",
            "She said the comments are closed to the public until the inquiry ends, and that the council would publish every submission in full next spring after the review.",
            "阅读是一种习惯。",
            "Visits to the museum rose by a third last year.",
            "Print media lost readers while the share of online news grew.",
            "Sharing is caring, the nurses told the children on the ward.",
            "相关链接已经失效，读者无法打开。",
            "Allow all visitors to park for free on Sundays, the council decided.",
            "Thanks for contributing, the editor wrote to every reader who sent a photograph.",
            "These cookies were baked by the pupils of the village school for the summer fair.",
            "我来说两句心里话：这座桥修得真好。",
            "Deine E-Mail-Adresse wird nicht veröffentlicht, versprach der Anbieter, doch seine Datenschutzerklärung sagt an mehreren Stellen etwas anderes, wie unsere Prüfung zeigt.",
        ] {
            assert_eq!(hit(&set, line), None, "{line:?} is text");
        }
    }

    #[test]
    fn a_whole_line_rule_printed_twice_matches() {
        let set = PhraseSet::compile(parse("line: Sponsored Links\nline: 关注\n", "mine").unwrap())
            .unwrap();
        for (line, rule) in [
            ("Sponsored LinksSponsored Links", "Sponsored Links"),
            ("Sponsored Links Sponsored Links", "Sponsored Links"),
            ("关注 关注", "关注"),
        ] {
            assert_eq!(hit(&set, line).as_deref(), Some(rule), "{line:?}");
        }
        // Not twice the same, or the same twice but no rule: no match.
        for line in [
            "Sponsored Links Sponsored",
            "Sponsored Links Sponsored Links Sponsored Links",
            "Links Links",
        ] {
            assert_eq!(hit(&set, line), None, "{line:?}");
        }
    }

    #[test]
    fn long_start_rules_reach_notice_paragraphs() {
        let rules = parse(
            "start: These cookies allow us to count visits\nstart: Cookies help\n",
            "mine.txt",
        )
        .unwrap();
        let set = PhraseSet::compile(rules).unwrap();
        let long = "These cookies allow us to count visits and traffic sources so we can measure \
                    and improve the performance of our site. They help us to know which pages are \
                    the most and least popular and see how visitors move around the site. All \
                    information these cookies collect is aggregated and therefore anonymous. If \
                    you do not allow these cookies we will not know when you have visited our \
                    site, and will not be able to monitor its performance.";
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(long.as_bytes());
        assert!(
            f.weight > crate::normalize::MASKED_MAX_WEIGHT,
            "no masked key"
        );
        assert_eq!(
            hit(&set, long).as_deref(),
            Some("These cookies allow us to count visits")
        );
        // A short rule stays with short lines; a long rule only matches at the start.
        let helps = format!("Cookies help. {long}");
        assert_eq!(hit(&set, &helps), None);
        assert_eq!(
            hit(&set, "Cookies help us").as_deref(),
            Some("Cookies help")
        );
        let inside = format!("Our study found: {long}");
        assert_eq!(hit(&set, &inside), None);
    }

    #[test]
    fn user_rules_extend_and_errors_name_the_line() {
        let rules = parse(
            "# mine\nline: Subscribe now\ncontains: powered by acme\n",
            "mine.txt",
        )
        .unwrap();
        let set = PhraseSet::compile(rules).unwrap();
        assert_eq!(
            hit(&set, "SUBSCRIBE NOW!").as_deref(),
            Some("Subscribe now")
        );
        assert_eq!(
            hit(&set, "Site powered by ACME cms").as_deref(),
            Some("powered by acme")
        );
        assert_eq!(set.rule(0).source, "mine.txt:2");
        let e = parse("line: ok\nbogus: x\n", "mine.txt")
            .unwrap_err()
            .to_string();
        assert!(e.contains("mine.txt:2") && e.contains("bogus"), "{e}");
        let e = parse("line: ***\n", "mine.txt").unwrap_err().to_string();
        assert!(e.contains("no letters"), "{e}");
        let set = PhraseSet::compile(parse("end: Reader comments\n", "mine.txt").unwrap()).unwrap();
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(b"Reader Comments:");
        let i = set
            .find(kb.key(), kb.masked(), &f)
            .expect("an end rule matches the whole line");
        assert_eq!(set.rule(i).kind, RuleKind::End);
    }
}
