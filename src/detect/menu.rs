//! Menu names: section names (`News`, `Sport`, `财经`, `Politik` …) that make up site menus.
//!
//! A naive dump puts each menu link on its own line. Being a menu name is evidence the
//! boilerplate model weighs with the line's neighbours ([`crate::context::LineContext::menu_near`]):
//! a lone subheading "Health" between paragraphs has none and stays. The names are data
//! files (`data/<lang>/menu.txt`, see [`crate::lexicon`]; `data/mul/menu.txt` holds the names of
//! some forty languages in their own script, as interlanguage lists give them).
//!
//! A menu printed on one line (`About us | Contact | Privacy policy`, `首页 - 新闻 - 体育`, a
//! breadcrumb `Home / China / Society`) is a menu line too ([`MenuNames::menu_row`]): at least
//! [`MIN_ROW_ITEMS`] items between separators, each no longer than a menu name, at least half of
//! them (and two) menu names or boilerplate phrases. Its own items are its context: it goes
//! wherever it stands.

use std::collections::HashSet;

use nohash_hasher::BuildNoHashHasher;

use crate::detect::phrase::PhraseSet;
use crate::normalize::{KeyBuilder, LineFeatures};

/// Heavier lines are never menu names.
pub const MAX_MENU_WEIGHT: u32 = 40;

/// The set of menu names, by masked key hash.
#[derive(Debug, Clone, Default)]
pub struct MenuNames {
    keys: HashSet<u64, BuildNoHashHasher<u64>>,
}

impl MenuNames {
    /// The built-in names of every language.
    pub fn builtin() -> Self {
        let mut names = MenuNames::default();
        for file in crate::lexicon::builtin(crate::lexicon::FileKind::Menu) {
            names.keys.extend(Self::parse(file.text).keys);
        }
        names
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

    /// Whether `text` has the shape of a menu printed on one line — separators between at least
    /// [`MIN_ROW_ITEMS`] parts with words — before its items are looked at ([`MenuNames::menu_row`]).
    pub fn may_be_row(text: &str) -> bool {
        let bytes = text.as_bytes();
        let separated = memchr::memchr(b'|', bytes).is_some()
            || ["｜", "·", "•", " - ", " / "]
                .iter()
                .any(|s| memchr::memmem::find(bytes, s.as_bytes()).is_some());
        // Most separated lines are a title and its site: two parts.
        separated
            && row_parts(text)
                .filter(|p| p.chars().any(char::is_alphanumeric))
                .count()
                >= MIN_ROW_ITEMS
    }

    /// The items of `text` (a line that is not running text) when it is a menu printed on one
    /// line: see the module documentation. `kb` analyses the items.
    pub fn menu_row(&self, text: &str, phrases: &PhraseSet, kb: &mut KeyBuilder) -> Option<usize> {
        Self::may_be_row(text)
            .then(|| self.row_items(text, phrases, kb))
            .flatten()
    }

    /// [`MenuNames::menu_row`] for a line [`MenuNames::may_be_row`] has let through.
    pub fn row_items(&self, text: &str, phrases: &PhraseSet, kb: &mut KeyBuilder) -> Option<usize> {
        let (mut items, mut names) = (0, 0);
        for part in row_parts(text) {
            let k = kb.analyze_key_str(part);
            if k.blank || k.key_chars == 0 {
                continue;
            }
            if k.weight > MAX_MENU_WEIGHT {
                return None;
            }
            items += 1;
            // What the name and phrase look-ups read of a line's features.
            let f = LineFeatures {
                masked_hash: k.masked_hash,
                key_chars: k.key_chars,
                weight: k.weight,
                ..LineFeatures::default()
            };
            names += usize::from(
                self.is_menu_name(&f) || phrases.find(kb.key(), kb.masked(), &f).is_some(),
            );
        }
        (items >= MIN_ROW_ITEMS && names >= 2 && names * 2 >= items).then_some(items)
    }
}

/// The parts of a line between menu separators.
fn row_parts(text: &str) -> impl Iterator<Item = &str> {
    text.split(ROW_SEPARATORS)
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split(" / "))
}

/// Fewest items of a menu printed on one line.
pub const MIN_ROW_ITEMS: usize = 3;
/// What stands between the items of a menu printed on one line (besides ` - ` and ` / `).
const ROW_SEPARATORS: [char; 4] = ['|', '｜', '·', '•'];

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> bool {
        MenuNames::builtin().is_menu_name(&KeyBuilder::new().analyze(s.as_bytes()))
    }

    #[test]
    fn a_menu_printed_on_one_line() {
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let row = |s: &str| MenuNames::builtin().menu_row(s, &phrases, &mut KeyBuilder::new());
        assert_eq!(
            row("About Us | Contact | Privacy Policy | Careers"),
            Some(4)
        );
        assert_eq!(row("首页 - 新闻 - 体育 - 娱乐 - 财经"), Some(5));
        assert_eq!(row("Home / News / Society"), Some(3));
        assert_eq!(row("Impressum · Datenschutz · AGB"), Some(3));
        for s in [
            // A table row, a title with its site, a sentence with dashes: too few names.
            "Name | Age | City | Country",
            "Harbour ferry returns | Valley Herald",
            "Ferries - the old ones - ran late again",
            // Two names among five items is not half.
            "News | Rain on Monday | Sport | Cup draw | Market hours",
            // An item longer than a menu name.
            "News | The council met on Monday to discuss the harbour budget | Sport",
        ] {
            assert_eq!(row(s), None, "{s}");
        }
    }

    #[test]
    fn names_in_several_languages() {
        for s in [
            "News",
            "  SPORTS",
            "• Politics",
            "财经",
            "Politik",
            "スポーツ",
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
}
