//! Language data: boilerplate phrases, menu section names and stop words.
//!
//! Phrases and menu names are plain files under `data/<lang>/` (`phrases.txt`, `menu.txt`),
//! compiled into the binary by `build.rs`: adding a language is adding its files. Stop words come
//! from the `stop-words` crate (the stopwords-iso lists); for Chinese and Japanese, whose words
//! are not spaced, the function characters of the Chinese list and the kana stand in for them.
//!
//! Every built-in phrase earns its place on real pages of at least two sites, alone or with the
//! other phrases of its family (the same notice in other languages: `[comments-closed]` holds
//! `Comments are closed` and `评论被关闭`); `dedump train` counts it on its
//! training pages and leaves out what falls short ([`crate::train::unsupported_phrases`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use nohash_hasher::BuildNoHashHasher;
use xxhash_rust::xxh3::xxh3_64;

/// Which kind of list a data file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Phrase rules (`line:`, `start:`, `contains:`, `block:`, `end:`), see [`crate::detect::phrase`].
    Phrases,
    /// Menu section names, one per line, see [`crate::detect::menu`].
    Menu,
}

/// One data file compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinFile {
    /// The language folder (`en`, `zh`, … `mul` for lists in no one language).
    pub lang: &'static str,
    /// What the file holds.
    pub kind: FileKind,
    /// `lang/file.txt`, as reports name the rules' source.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

/// Every file under `data/<lang>/`, in order of language and kind.
pub static BUILTIN: &[BuiltinFile] = include!(concat!(env!("OUT_DIR"), "/lexicon.rs"));

/// The built-in files of one kind.
pub fn builtin(kind: FileKind) -> impl Iterator<Item = &'static BuiltinFile> {
    BUILTIN.iter().filter(move |f| f.kind == kind)
}

/// The languages whose stop words are counted, in the order of the bits [`StopWords::langs`]
/// returns.
/// Languages written with spaces between words; Chinese and Japanese are measured by characters
/// ([`cjk_function_char`]).
pub const STOP_LANGS: [&str; 12] = [
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "id", "ru", "cs",
];

/// Stop words of [`STOP_LANGS`], each word with the set of languages it belongs to, by the
/// xxh3 hash of the word (a table lookup per word of every line: no string compared).
#[derive(Debug)]
pub struct StopWords {
    words: HashMap<u64, u16, BuildNoHashHasher<u64>>,
}

impl StopWords {
    /// The lists, built once per process.
    pub fn shared() -> &'static StopWords {
        static WORDS: OnceLock<StopWords> = OnceLock::new();
        WORDS.get_or_init(|| {
            let mut words: HashMap<u64, u16, BuildNoHashHasher<u64>> = HashMap::default();
            for (i, lang) in STOP_LANGS.iter().enumerate() {
                for w in stop_words::lookup(lang).unwrap_or(&[]) {
                    *words.entry(xxh3_64(w.as_bytes())).or_default() |= 1 << i;
                }
            }
            StopWords { words }
        })
    }

    /// The languages (bits in the order of [`STOP_LANGS`]) for which `word` (lower case) is a
    /// stop word.
    pub fn langs(&self, word: &str) -> u16 {
        self.words
            .get(&xxh3_64(word.as_bytes()))
            .copied()
            .unwrap_or(0)
    }
}

/// A Chinese function character (`的`, `了`, `是`, `在` …, the one-character words of the Chinese
/// stop-word list): the share of such characters tells running text from a title or a menu as
/// stop words do for spaced languages.
pub fn cjk_function_char(c: char) -> bool {
    static CHARS: OnceLock<std::collections::HashSet<char>> = OnceLock::new();
    CHARS
        .get_or_init(|| {
            stop_words::lookup("zh")
                .unwrap_or(&[])
                .iter()
                .filter_map(|w| {
                    let mut cs = w.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) if crate::normalize::is_cjk(c) => Some(c),
                        _ => None,
                    }
                })
                .collect()
        })
        .contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_folder_is_compiled_in() {
        let langs: std::collections::BTreeSet<_> = BUILTIN.iter().map(|f| f.lang).collect();
        for lang in ["en", "zh", "de", "ja", "mul"] {
            assert!(langs.contains(lang), "{lang} missing from {langs:?}");
        }
        assert!(builtin(FileKind::Phrases).count() >= 10);
        assert!(builtin(FileKind::Menu).count() >= 5);
        for f in BUILTIN {
            assert!(f.name.starts_with(f.lang), "{}", f.name);
            assert!(!f.text.trim().is_empty(), "{} is empty", f.name);
        }
    }

    #[test]
    fn stop_words_know_their_languages() {
        let s = StopWords::shared();
        let en = 1 << STOP_LANGS.iter().position(|l| *l == "en").unwrap();
        let de = 1 << STOP_LANGS.iter().position(|l| *l == "de").unwrap();
        assert_ne!(s.langs("the") & en, 0);
        assert_ne!(s.langs("und") & de, 0);
        assert_eq!(s.langs("the") & de, 0);
        assert_eq!(s.langs("harbour"), 0);
        assert!(cjk_function_char('的') && cjk_function_char('了'));
        assert!(!cjk_function_char('桥'));
    }
}
