//! The optional project file `mpyc.toml` at a tree's root: profile, roots, excludes, out dir.
//!
//! Paths in it are relative to the folder holding it. Command-line flags win over it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::profile::{line_of, toml_error_parts};

/// The project file's name.
pub const FILE_NAME: &str = "mpyc.toml";

/// A parsed `mpyc.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    /// The file itself (as found: `<dir>/mpyc.toml`).
    pub file: PathBuf,
    /// `profile = "<shipped name>"` or a path to a `.toml` (made relative to the project dir).
    pub profile: Option<String>,
    /// Source roots relative to the project dir (default `["."]`).
    pub roots: Vec<String>,
    pub exclude: Vec<String>,
    /// Output folder relative to the project dir.
    pub out_dir: Option<String>,
    /// The `[freeze]` table (`mpyc build --freeze`'s settings), paths as written.
    pub freeze: crate::freeze_build::FreezeSettings,
    /// `micropython = "1.29"`: the release the profile is used at (its own when absent).
    pub micropython: Option<mpcore::Release>,
}

/// A project file that cannot be used, naming file, line and key: the same shape as a bad
/// profile, and printed the same way.
pub type ProjectError = super::profile::ProfileError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    profile: Option<Spanned<toml::Value>>,
    roots: Option<Spanned<toml::Value>>,
    exclude: Option<Spanned<toml::Value>>,
    out_dir: Option<Spanned<toml::Value>>,
    freeze: Option<Spanned<toml::Value>>,
    micropython: Option<Spanned<toml::Value>>,
}

/// Reads `<dir>/mpyc.toml` if there is one.
pub fn find(dir: &Path) -> Result<Option<Project>, ProjectError> {
    let file = dir.join(FILE_NAME);
    if !file.is_file() {
        return Ok(None);
    }
    let shown = file.display().to_string();
    let text = super::files::read_regular_text(&file, super::files::SOURCE_CAP).map_err(|e| {
        ProjectError {
            file: shown.clone(),
            line: 0,
            key: None,
            message: format!("cannot read: {e}"),
        }
    })?;
    parse(&shown, &text).map(|mut p| {
        p.file = file;
        Some(p)
    })
}

/// Parses the text of a project file; `shown` names it in errors.
pub fn parse(shown: &str, text: &str) -> Result<Project, ProjectError> {
    let raw: RawProject = toml::from_str(text).map_err(|e| {
        let (line, key, message) = toml_error_parts(text, &e);
        ProjectError {
            file: shown.to_string(),
            line,
            key,
            message,
        }
    })?;
    let err = |v: &Spanned<toml::Value>, key: &str, message: &str| ProjectError {
        file: shown.to_string(),
        line: line_of(text, v.span().start),
        key: Some(key.to_string()),
        message: message.to_string(),
    };
    let string = |v: &Spanned<toml::Value>, key: &str| -> Result<String, ProjectError> {
        match v.get_ref().as_str() {
            Some(s) if !s.is_empty() => Ok(s.to_string()),
            Some(_) => Err(err(v, key, "must not be empty")),
            None => Err(err(v, key, "expected a string")),
        }
    };
    let list = |v: &Spanned<toml::Value>, key: &str| -> Result<Vec<String>, ProjectError> {
        let items = v
            .get_ref()
            .as_array()
            .ok_or_else(|| err(v, key, "expected a list of strings"))?;
        items
            .iter()
            .map(|i| match i.as_str() {
                Some(s) if !s.is_empty() => Ok(s.to_string()),
                _ => Err(err(v, key, "expected a list of non-empty strings")),
            })
            .collect()
    };
    let mut p = Project::default();
    if let Some(v) = &raw.profile {
        p.profile = Some(string(v, "profile")?);
    }
    if let Some(v) = &raw.roots {
        p.roots = list(v, "roots")?;
        if p.roots.is_empty() {
            return Err(err(v, "roots", "must name at least one folder"));
        }
    }
    if let Some(v) = &raw.exclude {
        p.exclude = list(v, "exclude")?;
    }
    if let Some(v) = &raw.out_dir {
        p.out_dir = Some(string(v, "out_dir")?);
    }
    if let Some(v) = &raw.micropython {
        let text = string(v, "micropython")?;
        p.micropython = Some(
            text.parse()
                .map_err(|e: String| err(v, "micropython", &e))?,
        );
    }
    if let Some(v) = &raw.freeze {
        p.freeze = crate::freeze_build::FreezeSettings::from_toml(v.get_ref())
            .map_err(|(key, message)| err(v, &key, &message))?;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micropython_release() {
        let p = parse("mpyc.toml", "profile = \"esp32\"\nmicropython = \"1.29\"\n").unwrap();
        assert_eq!(p.micropython, Some(mpcore::Release::V1_29));
        let e = parse("mpyc.toml", "micropython = \"2.0\"\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("micropython"));
        assert_eq!(
            e.message,
            "unknown MicroPython release `2.0` (mpyc knows 1.11, 1.12, 1.13, 1.14, 1.15, 1.16, 1.17, 1.18, 1.19, 1.20, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29)"
        );
    }

    #[test]
    fn reads_every_key() {
        let p = parse(
            "mpyc.toml",
            "profile = \"esp8266\"\nroots = [\"src\", \"lib\"]\nexclude = [\"tests/**\"]\nout_dir = \"out\"\n",
        )
        .unwrap();
        assert_eq!(p.profile.as_deref(), Some("esp8266"));
        assert_eq!(p.roots, ["src", "lib"]);
        assert_eq!(p.exclude, ["tests/**"]);
        assert_eq!(p.out_dir.as_deref(), Some("out"));
    }

    #[test]
    fn reads_the_freeze_table() {
        let p = parse(
            "mpyc.toml",
            "roots = [\"src\"]\n[freeze]\noutput = \"frozen.c\"\nqstr_header = \"q.h\"\n\
             longint_impl = \"longlong\"\nmpz_dig_size = 8\n",
        )
        .unwrap();
        let f = p.freeze.relative_to(Path::new("proj"));
        assert_eq!(f.output.as_deref(), Some(Path::new("proj/frozen.c")));
        assert_eq!(f.qstr_header.as_deref(), Some(Path::new("proj/q.h")));
        assert_eq!(f.longint_impl.as_deref(), Some("longlong"));
        assert_eq!(f.mpz_dig_size, Some(8));
        let e = parse("mpyc.toml", "[freeze]\nlongint_impl = \"big\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "mpyc.toml:1: key `freeze.longint_impl`: expected \"none\", \"longlong\" or \"mpz\""
        );
        let e = parse("mpyc.toml", "[freeze]\nbogus = 1\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "mpyc.toml:1: key `freeze.bogus`: unknown key"
        );
    }

    #[test]
    fn errors_name_line_and_key() {
        let e = parse("x/mpyc.toml", "profile = \"unix\"\nprofil = 1\n").unwrap_err();
        assert_eq!(e.to_string(), "x/mpyc.toml:2: key `profil`: unknown key");
        let e = parse("mpyc.toml", "roots = \"src\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "mpyc.toml:1: key `roots`: expected a list of strings"
        );
        let e = parse("mpyc.toml", "roots = [\n").unwrap_err();
        assert_eq!(e.file, "mpyc.toml");
        assert!(e.line >= 1);
    }
}
