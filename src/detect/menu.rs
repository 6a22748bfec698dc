//! Menu lines: section names (`News`, `Sport`, `财经`, `Politik` …) standing in a run of menu
//! items or site furniture.
//!
//! A naive dump puts each menu link on its own line. Such a line is only removed when context
//! says it is part of a menu: one of the [`MENU_CONTEXT`] nearest non-blank lines before or after
//! it is also a menu name or a boilerplate phrase line (`Subscribe`, `Privacy policy`). A lone
//! subheading "Health" between paragraphs has no such neighbour and stays. The names are a data
//! file (`data/nav-words.txt`, in English, Chinese, German, French, Spanish and Japanese, and the
//! names of some forty languages in their own script, as interlanguage lists give them).

use std::collections::HashSet;

use crate::normalize::{KeyBuilder, LineFeatures};

/// The built-in menu names.
pub const BUILTIN: &str = include_str!("../../data/nav-words.txt");
/// Non-blank lines looked at on each side.
pub const MENU_CONTEXT: usize = 2;
/// Heavier lines are never menu names.
pub const MAX_MENU_WEIGHT: u32 = 40;

/// The set of menu names, by masked key hash.
#[derive(Debug, Clone, Default)]
pub struct MenuNames {
    keys: HashSet<u64>,
}

impl MenuNames {
    /// The built-in names.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN)
    }

    /// The built-in names, parsed once per process.
    pub fn shared() -> &'static MenuNames {
        static NAMES: std::sync::OnceLock<MenuNames> = std::sync::OnceLock::new();
        NAMES.get_or_init(MenuNames::builtin)
    }

    /// Names from a list, one per line; `#` starts a comment line.
    pub fn parse(text: &str) -> Self {
        let mut kb = KeyBuilder::new();
        let keys = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| kb.analyze(l.as_bytes()).masked_hash)
            .collect();
        MenuNames { keys }
    }

    /// Whether a line is nothing but a menu name.
    pub fn is_menu_name(&self, f: &LineFeatures) -> bool {
        !f.blank
            && f.key_chars > 0
            && f.weight <= MAX_MENU_WEIGHT
            && self.keys.contains(&f.masked_hash)
    }
}

/// Whether a menu-name line goes, given how many of its neighbours are menu or furniture lines.
pub fn is_menu_line(is_name: bool, furniture_neighbours: usize) -> bool {
    is_name && furniture_neighbours > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> bool {
        MenuNames::builtin().is_menu_name(&KeyBuilder::new().analyze(s.as_bytes()))
    }

    #[test]
    fn names_in_several_languages() {
        for s in [
            "News",
            "  SPORTS",
            "• Politics",
            "财经",
            "Politik",
            "ニュース",
            "Food & Drink",
            "U.S.",
        ] {
            assert!(name(s), "{s}");
        }
        for s in [
            "The news today",
            "Health benefits of walking",
            "财经新闻报道",
        ] {
            assert!(!name(s), "{s}");
        }
    }

    #[test]
    fn language_names_of_an_interlanguage_list() {
        for s in [
            "Polski",
            "Čeština",
            "Bahasa Indonesia",
            "Українська",
            "فارسی",
            "中文",
        ] {
            assert!(name(s), "{s}");
        }
        for s in ["Polski Fiat", "Learning Polish", "中文系"] {
            assert!(!name(s), "{s}");
        }
    }

    #[test]
    fn context_decides() {
        assert!(is_menu_line(true, 1));
        assert!(!is_menu_line(true, 0), "a lone subheading stays");
        assert!(!is_menu_line(false, 3));
    }
}
