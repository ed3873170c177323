//! Board profiles: the target options a board's firmware build passes to mpy-cross, read from TOML.
//!
//! The shipped profiles live in `configs/*.toml` and are compiled into the binary. A user's own
//! profile is a TOML file with the same keys; it may `extends = "<shipped>"` and override some of
//! them (without `extends` it starts from `default`, mpy-cross's own defaults).

use std::fmt;
use std::path::Path;

use compiler::{CompileOptions, DefaultEmit};
use mpcore::{Arch, Target};
use serde::Deserialize;
use toml::Spanned;

/// The profiles shipped with mpyc: (name, TOML text), in listing order.
pub const SHIPPED: &[(&str, &str)] = &[
    ("default", include_str!("../../../../configs/default.toml")),
    (
        "unix-1.29",
        include_str!("../../../../configs/unix-1.29.toml"),
    ),
    (
        "rp2-1.29",
        include_str!("../../../../configs/rp2-1.29.toml"),
    ),
    (
        "esp32-1.29",
        include_str!("../../../../configs/esp32-1.29.toml"),
    ),
    (
        "stm32-1.29",
        include_str!("../../../../configs/stm32-1.29.toml"),
    ),
    ("unix", include_str!("../../../../configs/unix.toml")),
    ("windows", include_str!("../../../../configs/windows.toml")),
    ("stm32", include_str!("../../../../configs/stm32.toml")),
    ("pyboard", include_str!("../../../../configs/pyboard.toml")),
    ("esp8266", include_str!("../../../../configs/esp8266.toml")),
    ("esp32", include_str!("../../../../configs/esp32.toml")),
    ("nrf", include_str!("../../../../configs/nrf.toml")),
    ("cc3200", include_str!("../../../../configs/cc3200.toml")),
    ("teensy", include_str!("../../../../configs/teensy.toml")),
    (
        "qemu-arm",
        include_str!("../../../../configs/qemu-arm.toml"),
    ),
    (
        "pic16bit",
        include_str!("../../../../configs/pic16bit.toml"),
    ),
    ("minimal", include_str!("../../../../configs/minimal.toml")),
    (
        "bare-arm",
        include_str!("../../../../configs/bare-arm.toml"),
    ),
    ("zephyr", include_str!("../../../../configs/zephyr.toml")),
    (
        "javascript",
        include_str!("../../../../configs/javascript.toml"),
    ),
];

/// The `.mpy` version of the default release (1.11); 1.29 profiles write 6.
pub const MPY_VERSION: u8 = 4;

/// A resolved board profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The shipped name, or the user file's stem.
    pub name: String,
    pub description: String,
    /// Where it came from: `None` for a shipped profile, else the user's file.
    pub file: Option<std::path::PathBuf>,
    pub mpy_version: u8,
    pub options: CompileOptions,
    /// What a 1.29 compile needs beyond `options` (its `-march=`, which may name an
    /// architecture 1.11 lacks); the defaults for 1.11 profiles.
    pub v6: crate::OptionsV6,
}

/// A profile (or project file) that cannot be used, naming the file, line and key at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    /// The file as the user named it (`configs/<name>.toml` for shipped ones).
    pub file: String,
    /// 1-based line, 0 when the error is not about one place in the file.
    pub line: usize,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        match &self.key {
            Some(k) => write!(f, ": key `{k}`: {}", self.message),
            None => write!(f, ": {}", self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// The keys of a profile file, each with its place in the text.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    extends: Option<Spanned<toml::Value>>,
    description: Option<Spanned<toml::Value>>,
    micropython: Option<Spanned<toml::Value>>,
    mpy_version: Option<Spanned<toml::Value>>,
    arch: Option<Spanned<toml::Value>>,
    small_int_bits: Option<Spanned<toml::Value>>,
    unicode: Option<Spanned<toml::Value>>,
    cache_lookup_bc: Option<Spanned<toml::Value>>,
    opt_level: Option<Spanned<toml::Value>>,
    emit: Option<Spanned<toml::Value>>,
}

/// 1-based line of a byte offset in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turns a TOML parse error into (line, key, message), pulling the key out of
/// serde's "unknown field `x`" wording.
pub(crate) fn toml_error_parts(text: &str, e: &toml::de::Error) -> (usize, Option<String>, String) {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
    let msg = e.message().trim().to_string();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        if let Some(end) = rest.find('`') {
            let key = rest[..end].to_string();
            return (line, Some(key), "unknown key".to_string());
        }
    }
    (line, None, msg)
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, v: &Spanned<toml::Value>, key: &str, message: impl Into<String>) -> ProfileError {
        ProfileError {
            file: self.file.to_string(),
            line: line_of(self.text, v.span().start),
            key: Some(key.to_string()),
            message: message.into(),
        }
    }

    fn string<'v>(&self, v: &'v Spanned<toml::Value>, key: &str) -> Result<&'v str, ProfileError> {
        v.get_ref()
            .as_str()
            .ok_or_else(|| self.err(v, key, "expected a string"))
    }

    fn boolean(&self, v: &Spanned<toml::Value>, key: &str) -> Result<bool, ProfileError> {
        v.get_ref()
            .as_bool()
            .ok_or_else(|| self.err(v, key, "expected true or false"))
    }

    fn int(
        &self,
        v: &Spanned<toml::Value>,
        key: &str,
        lo: i64,
        hi: i64,
    ) -> Result<u8, ProfileError> {
        match v.get_ref().as_integer() {
            Some(n) if (lo..=hi).contains(&n) => {
                u8::try_from(n).map_err(|_| self.err(v, key, "out of range"))
            }
            Some(n) => Err(self.err(v, key, format!("{n} is out of range {lo}..={hi}"))),
            None => Err(self.err(v, key, "expected an integer")),
        }
    }
}

fn emit_name(e: DefaultEmit) -> &'static str {
    match e {
        DefaultEmit::Bytecode => "bytecode",
        DefaultEmit::Native => "native",
        DefaultEmit::Viper => "viper",
    }
}

/// The directory-independent label shipped profiles are reported under.
fn shipped_file(name: &str) -> String {
    format!("configs/{name}.toml")
}

/// Looks up a shipped profile by name.
pub fn shipped(name: &str) -> Option<Result<Profile, ProfileError>> {
    let (n, text) = SHIPPED.iter().find(|(n, _)| *n == name)?;
    Some(parse(&shipped_file(n), text, n, None, 0))
}

/// Every shipped profile, resolved, in listing order.
pub fn all_shipped() -> Vec<Result<Profile, ProfileError>> {
    SHIPPED
        .iter()
        .map(|(n, text)| parse(&shipped_file(n), text, n, None, 0))
        .collect()
}

/// Resolves `--profile`: a shipped name, or a path to a `.toml` file.
pub fn resolve(spec: &str) -> Result<Profile, ProfileError> {
    if let Some(p) = shipped(spec) {
        return p;
    }
    let looks_like_path = spec.ends_with(".toml") || spec.contains('/') || spec.contains('\\');
    if !looks_like_path {
        let names: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
        return Err(ProfileError {
            file: spec.to_string(),
            line: 0,
            key: None,
            message: format!(
                "no such profile (shipped: {}; or give a path to a .toml file)",
                names.join(", ")
            ),
        });
    }
    load_file(Path::new(spec))
}

/// Reads a user's profile file.
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let shown = path.display().to_string();
    let text = super::files::read_regular_text(path, super::files::SOURCE_CAP).map_err(|e| {
        ProfileError {
            file: shown.clone(),
            line: 0,
            key: None,
            message: format!("cannot read: {e}"),
        }
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "custom".into());
    let mut p = parse(&shown, &text, &name, Some(path), 0)?;
    p.file = Some(path.to_path_buf());
    Ok(p)
}

/// Parses one profile text. Shipped profiles and files without `extends` start from `default`
/// (the `default` profile itself must give every key).
fn parse(
    file: &str,
    text: &str,
    name: &str,
    path: Option<&Path>,
    depth: u32,
) -> Result<Profile, ProfileError> {
    let cx = Ctx { file, text };
    let raw: RawProfile = toml::from_str(text).map_err(|e| {
        let (line, key, message) = toml_error_parts(text, &e);
        ProfileError {
            file: file.to_string(),
            line,
            key,
            message,
        }
    })?;

    let base = if let Some(v) = &raw.extends {
        let parent = cx.string(v, "extends")?;
        if depth > 8 {
            return Err(cx.err(v, "extends", "profiles extend each other in a loop"));
        }
        let (pn, ptext) = SHIPPED
            .iter()
            .find(|(n, _)| *n == parent)
            .ok_or_else(|| cx.err(v, "extends", format!("no shipped profile named `{parent}`")))?;
        Some(parse(&shipped_file(pn), ptext, pn, None, depth + 1)?)
    } else if name != "default" || path.is_some() {
        Some(shipped("default").unwrap_or_else(|| Err(missing_default()))?)
    } else {
        None
    };

    let mut description = base.as_ref().map(|b| b.description.clone());
    let mut mpy_version = base.as_ref().map(|b| b.mpy_version);
    let mut opts = base.as_ref().map(|b| b.options);
    let mut target = opts.map(|o| o.target);
    let (mut arch, mut sib, mut unicode, mut cache) = match target {
        Some(t) => (
            Some(t.arch),
            Some(t.small_int_bits),
            Some(t.unicode),
            Some(t.cache_lookup_bc),
        ),
        None => (None, None, None, None),
    };
    let mut opt_level = opts.map(|o| o.opt_level);
    let mut emit = opts.map(|o| o.emit);
    let mut release = target.map(|t| t.release).unwrap_or_default();
    let mut v6 = base.as_ref().map(|b| b.v6).unwrap_or_default();
    if let Some(v) = &raw.micropython {
        let text = cx.string(v, "micropython")?;
        release = text
            .parse()
            .map_err(|e: String| cx.err(v, "micropython", e))?;
        if base
            .as_ref()
            .is_some_and(|b| b.options.target.release != release)
        {
            // Another release's header: the version follows the release unless given here.
            mpy_version = Some(release.mpy_version().0);
        }
    }

    if let Some(v) = &raw.description {
        description = Some(cx.string(v, "description")?.to_string());
    }
    if let Some(v) = &raw.mpy_version {
        let n = cx.int(v, "mpy_version", 0, 255)?;
        let want = release.mpy_version().0;
        if n != want {
            return Err(cx.err(
                v,
                "mpy_version",
                format!("MicroPython {release} writes .mpy version {want}, not {n}"),
            ));
        }
        mpy_version = Some(n);
    }
    if release != mpcore::Release::V1_11 {
        mpy_version = Some(release.mpy_version().0);
    }
    let v6_release = release.generation() == mpcore::Generation::Mpy6;
    if let (Some(v), true) = (&raw.arch, v6_release) {
        // The v6 releases' -march names (xtensawin, rv32imc, ...); the 1.11 arch is kept where it has one.
        let s = cx.string(v, "arch")?;
        let a = rawcode::v6::Arch::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = rawcode::v6::Arch::ALL.iter().map(|a| a.name()).collect();
            cx.err(
                v,
                "arch",
                format!("unknown arch `{s}` (one of: {})", names.join(", ")),
            )
        })?;
        v6.arch = a;
        arch = Some(s.parse().unwrap_or(Arch::None));
    } else if let Some(v) = &raw.arch {
        let s = cx.string(v, "arch")?;
        let a: Arch = s.parse().map_err(|_| {
            let names: Vec<&str> = Arch::ALL.iter().map(|a| a.name()).collect();
            cx.err(
                v,
                "arch",
                format!("unknown arch `{s}` (one of: {})", names.join(", ")),
            )
        })?;
        arch = Some(a);
    }
    if let Some(v) = &raw.small_int_bits {
        sib = Some(cx.int(v, "small_int_bits", 8, 63)?);
    }
    if let Some(v) = &raw.unicode {
        unicode = Some(cx.boolean(v, "unicode")?);
        if v6_release && unicode == Some(false) {
            return Err(cx.err(
                v,
                "unicode",
                format!(
                    "MicroPython {release}'s .mpy files have no unicode flag (str is always unicode)"
                ),
            ));
        }
    }
    if let Some(v) = &raw.cache_lookup_bc {
        cache = Some(cx.boolean(v, "cache_lookup_bc")?);
        if !release.has_lookup_cache() && cache == Some(true) {
            return Err(cx.err(
                v,
                "cache_lookup_bc",
                format!("MicroPython {release} has no bytecode lookup cache"),
            ));
        }
    }
    if v6_release {
        // Inherited from a 1.11 profile: the v6 releases have neither flag.
        unicode = Some(true);
    } else {
        v6 = crate::OptionsV6::default();
    }
    if !release.has_lookup_cache() {
        // 1.18 on: no lookup cache. 1.12 to 1.17 keep it where the base has it (the unix and
        // windows ports' Makefiles pass `-mcache-lookup-bc` through 1.17).
        cache = Some(false);
    }
    if let Some(v) = &raw.opt_level {
        opt_level = Some(cx.int(v, "opt_level", 0, 3)?);
    }
    if let Some(v) = &raw.emit {
        emit = Some(match cx.string(v, "emit")? {
            "bytecode" => DefaultEmit::Bytecode,
            "native" => DefaultEmit::Native,
            "viper" => DefaultEmit::Viper,
            other => {
                return Err(cx.err(
                    v,
                    "emit",
                    format!("unknown emitter `{other}` (bytecode, native or viper)"),
                ))
            }
        });
    }

    let need = |what: &str| ProfileError {
        file: file.to_string(),
        line: 0,
        key: Some(what.to_string()),
        message: "missing".to_string(),
    };
    target = Some(Target {
        small_int_bits: sib.ok_or_else(|| need("small_int_bits"))?,
        unicode: unicode.ok_or_else(|| need("unicode"))?,
        cache_lookup_bc: cache.ok_or_else(|| need("cache_lookup_bc"))?,
        arch: arch.ok_or_else(|| need("arch"))?,
        release,
    });
    let mut compile_opts = CompileOptions {
        target: target.ok_or_else(|| need("arch"))?,
        opt_level: opt_level.ok_or_else(|| need("opt_level"))?,
        emit: emit.ok_or_else(|| need("emit"))?,
        nlr_buf: compiler::NlrBuf::Target,
        arch_tables: None,
    };
    if release != mpcore::Release::V1_11 {
        // Decorators are checked as that release's mpy-cross checks them for `-march=arch`.
        let full = if v6_release {
            v6.arch
        } else {
            rawcode::v6::Arch::from_number(compile_opts.target.arch.number()).unwrap_or_default()
        };
        let (stand_in, tables) = crate::march::decorator_target(release, full);
        compile_opts.target.arch = stand_in;
        compile_opts.arch_tables = Some(tables);
    }
    opts = Some(compile_opts);
    Ok(Profile {
        name: name.to_string(),
        description: description.ok_or_else(|| need("description"))?,
        file: path.map(Path::to_path_buf),
        mpy_version: mpy_version.ok_or_else(|| need("mpy_version"))?,
        options: opts.ok_or_else(|| need("emit"))?,
        v6,
    })
}

fn missing_default() -> ProfileError {
    ProfileError {
        file: shipped_file("default"),
        line: 0,
        key: None,
        message: "not shipped".into(),
    }
}

impl Profile {
    /// The mpy-cross 1.11 options that give the same output (`-march` is left out for arch
    /// `none`, which mpy-cross cannot express: it only matters for native code).
    pub fn mpy_cross_flags(&self) -> Vec<String> {
        let t = &self.options.target;
        let mut f = Vec::new();
        if t.release.generation() == mpcore::Generation::Mpy6 {
            // mpy-cross 1.2x's own flags.
            if self.options.opt_level > 0 {
                f.push(format!("-O{}", self.options.opt_level));
            }
            if t.small_int_bits != 31 {
                f.push(format!("-msmall-int-bits={}", t.small_int_bits));
            }
            if self.v6.arch != rawcode::v6::Arch::None {
                f.push(format!("-march={}", self.v6.arch.name()));
            }
            if self.v6.arch_flags != 0 {
                f.push(format!("-march-flags={}", self.v6.arch_flags));
            }
            if !self.v6.source_lines {
                f.extend(["-X".into(), "no-source-lines".into()]);
            }
            if self.options.emit != DefaultEmit::Bytecode {
                f.push("-X".into());
                f.push(format!("emit={}", emit_name(self.options.emit)));
            }
            return f;
        }
        if self.options.opt_level > 0 {
            f.push(format!("-O{}", self.options.opt_level));
        }
        if t.cache_lookup_bc {
            f.push("-mcache-lookup-bc".into());
        }
        if !t.unicode {
            f.push("-mno-unicode".into());
        }
        if t.small_int_bits != 31 {
            f.push(format!("-msmall-int-bits={}", t.small_int_bits));
        }
        if Arch::from_march(t.arch.name()).is_some() && t.arch != Arch::X64 {
            f.push(format!("-march={}", t.arch.name()));
        }
        if self.options.emit != DefaultEmit::Bytecode {
            f.push("-X".into());
            f.push(format!("emit={}", emit_name(self.options.emit)));
        }
        f
    }

    /// The same board at another release: its `.mpy` version, for the v6 releases no unicode
    /// flag and the architecture under their names, and no lookup cache from 1.18 on (1.12
    /// to 1.17 keep the board's).
    pub fn at_release(mut self, release: mpcore::Release) -> Profile {
        if self.options.target.release == release {
            return self;
        }
        let t = &mut self.options.target;
        t.release = release;
        self.mpy_version = release.mpy_version().0;
        if release.generation() == mpcore::Generation::Mpy6 {
            t.unicode = true;
            self.v6.arch = rawcode::v6::Arch::from_name(t.arch.name()).unwrap_or_default();
        } else {
            self.v6 = crate::OptionsV6::default();
        }
        if !release.has_lookup_cache() {
            t.cache_lookup_bc = false;
        }
        self
    }

    /// The four header bytes of a module without native code.
    pub fn header(&self) -> [u8; 4] {
        let t = &self.options.target;
        if t.release.generation() == mpcore::Generation::Mpy6 {
            // v6: no feature flags; bit 6 when architecture flags follow the header.
            let flags = if self.v6.arch_flags != 0 { 0x40 } else { 0 };
            return [b'M', self.mpy_version, flags, t.small_int_bits];
        }
        [b'M', self.mpy_version, t.feature_flags(), t.small_int_bits]
    }

    /// Everything that decides the output besides the sources, as one stable string.
    pub fn fingerprint(&self) -> String {
        let t = &self.options.target;
        if t.release.generation() == mpcore::Generation::Mpy5 {
            return format!(
                "micropython{} mpy{} arch={} small_int_bits={} unicode={} O{} emit={}",
                t.release,
                self.mpy_version,
                t.arch.name(),
                t.small_int_bits,
                t.unicode,
                self.options.opt_level,
                emit_name(self.options.emit)
            );
        }
        if t.release != mpcore::Release::V1_11 {
            return format!(
                "micropython{} mpy{} arch={} arch_flags={} small_int_bits={} source_lines={} O{} emit={}",
                t.release,
                self.mpy_version,
                self.v6.arch.name(),
                self.v6.arch_flags,
                t.small_int_bits,
                self.v6.source_lines,
                self.options.opt_level,
                emit_name(self.options.emit)
            );
        }
        format!(
            "mpy{} arch={} small_int_bits={} unicode={} cache_lookup_bc={} O{} emit={}",
            self.mpy_version,
            t.arch.name(),
            t.small_int_bits,
            t.unicode,
            t.cache_lookup_bc,
            self.options.opt_level,
            emit_name(self.options.emit)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_profile_resolves() {
        for p in all_shipped() {
            let p = p.unwrap();
            let want = if p.name.ends_with("-1.29") { 6 } else { 4 };
            assert_eq!(p.mpy_version, want, "{}", p.name);
        }
    }

    #[test]
    fn profiles_for_1_29() {
        let p = |n: &str| shipped(n).unwrap().unwrap();
        let flags = |n: &str| p(n).mpy_cross_flags().join(" ");
        // The ports' own mpy-cross flags at 1.29 (rp2 and esp32 CMake, stm32.mk for F4).
        assert_eq!(flags("rp2-1.29"), "-march=armv6m");
        assert_eq!(flags("esp32-1.29"), "-march=xtensawin");
        assert_eq!(flags("stm32-1.29"), "-march=armv7m");
        assert_eq!(flags("unix-1.29"), "-march=x64");
        assert_eq!(p("rp2-1.29").options.target.release, mpcore::Release::V1_29);
        assert_eq!(p("esp32-1.29").v6.arch, rawcode::v6::Arch::Xtensawin);
        assert!(p("unix-1.29")
            .fingerprint()
            .starts_with("micropython1.29 mpy6 arch=x64"));
        // A 1.11 profile moved to 1.29 loses the flags 1.29 does not have.
        let text = "extends = \"unix\"\nmicropython = \"1.29\"\n";
        let moved = parse("u.toml", text, "u", Some(Path::new("u.toml")), 0).unwrap();
        assert_eq!(moved.mpy_version, 6);
        assert!(!moved.options.target.cache_lookup_bc);
        let bad = parse(
            "u.toml",
            "micropython = \"1.29\"\nunicode = false\n",
            "u",
            None,
            0,
        );
        assert_eq!(bad.unwrap_err().key.as_deref(), Some("unicode"));
        let bad = parse(
            "u.toml",
            "micropython = \"1.29\"\nmpy_version = 4\n",
            "u",
            None,
            0,
        );
        assert_eq!(
            bad.unwrap_err().message,
            "MicroPython 1.29 writes .mpy version 6, not 4"
        );
        let at = p("esp32").at_release(mpcore::Release::V1_29);
        assert_eq!((at.mpy_version, at.header()), (6, [b'M', 6, 0, 31]));
        let bad = parse("u.toml", "micropython = \"1.30\"\n", "u", None, 0).unwrap_err();
        assert_eq!(bad.line, 1);
        assert_eq!(
            bad.message,
            "unknown MicroPython release `1.30` (mpyc knows 1.11, 1.12, 1.13, 1.14, 1.15, 1.16, 1.17, 1.18, 1.19, 1.20, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29)"
        );
    }

    #[test]
    fn profiles_for_1_18() {
        // 1.18 (`.mpy` v5) keeps `-mno-unicode` and has no lookup cache (mpy-cross 1.18 on
        // `x = 1`: 4d 05 02 1f; with -mno-unicode: 4d 05 00 1f).
        let text = "extends = \"unix\"\nmicropython = \"1.18\"\nunicode = false\n";
        let p = parse("u.toml", text, "u", Some(Path::new("u.toml")), 0).unwrap();
        assert_eq!((p.mpy_version, p.header()), (5, [b'M', 5, 0, 31]));
        assert_eq!(p.mpy_cross_flags().join(" "), "-mno-unicode");
        let moved = shipped("unix").unwrap().unwrap();
        let moved = moved.at_release(mpcore::Release::V1_18);
        assert_eq!(moved.header(), [b'M', 5, 2, 31]);
        let bad = parse(
            "u.toml",
            "micropython = \"1.18\"\ncache_lookup_bc = true\n",
            "u",
            None,
            0,
        );
        assert_eq!(bad.unwrap_err().key.as_deref(), Some("cache_lookup_bc"));
    }

    #[test]
    fn profiles_for_1_12_to_1_17_keep_the_lookup_cache() {
        // ports/unix/Makefile passes -mcache-lookup-bc through 1.17 (mpy-cross 1.17 with it on
        // `x = 1`: 4d 05 03 1f); 1.18 dropped the option.
        let text = "extends = \"unix\"\nmicropython = \"1.15\"\n";
        let p = parse("u.toml", text, "u", Some(Path::new("u.toml")), 0).unwrap();
        assert_eq!((p.mpy_version, p.header()), (5, [b'M', 5, 3, 31]));
        assert_eq!(p.mpy_cross_flags().join(" "), "-mcache-lookup-bc");
        let text = "micropython = \"1.12\"\ncache_lookup_bc = true\n";
        let p = parse("u.toml", text, "u", None, 0).unwrap();
        assert!(p.options.target.cache_lookup_bc);
        let unix = || shipped("unix").unwrap().unwrap();
        assert_eq!(
            unix().at_release(mpcore::Release::V1_17).header(),
            [b'M', 5, 3, 31]
        );
        assert_eq!(
            unix().at_release(mpcore::Release::V1_18).header(),
            [b'M', 5, 2, 31]
        );
        assert!(
            !unix()
                .at_release(mpcore::Release::V1_19)
                .options
                .target
                .cache_lookup_bc
        );
    }

    #[test]
    fn headers_of_key_profiles() {
        // Oracle: `mpy-cross -mcache-lookup-bc` on `x = 1` writes 4d 04 03 1f;
        // `-mno-unicode` writes 4d 04 00 1f; `-msmall-int-bits=14 -mno-unicode` 4d 04 00 0e.
        let h = |n: &str| shipped(n).unwrap().unwrap().header();
        assert_eq!(h("unix"), [0x4d, 0x04, 0x03, 0x1f]);
        assert_eq!(h("nrf"), [0x4d, 0x04, 0x00, 0x1f]);
        assert_eq!(h("default"), [0x4d, 0x04, 0x02, 0x1f]);
        assert_eq!(h("pic16bit"), [0x4d, 0x04, 0x00, 0x0e]);
        assert_eq!(
            shipped("pyboard").unwrap().unwrap().options,
            shipped("stm32").unwrap().unwrap().options
        );
    }

    #[test]
    fn flags_match_the_makefiles() {
        let f = |n: &str| shipped(n).unwrap().unwrap().mpy_cross_flags().join(" ");
        assert_eq!(f("unix"), "-mcache-lookup-bc");
        assert_eq!(f("stm32"), "-march=armv7m");
        assert_eq!(f("esp8266"), "-march=xtensa");
        assert_eq!(f("nrf"), "-mno-unicode");
        assert_eq!(f("default"), "");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = parse(
            "my.toml",
            "extends = \"unix\"\n\nsmall_int_bitz = 3\n",
            "my",
            Some(Path::new("my.toml")),
            0,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "my.toml:3: key `small_int_bitz`: unknown key"
        );
    }

    #[test]
    fn bad_values_name_file_line_and_key() {
        let e = parse(
            "p.toml",
            "arch = \"z80\"\n",
            "p",
            Some(Path::new("p.toml")),
            0,
        )
        .unwrap_err();
        assert_eq!(e.line, 1);
        assert_eq!(e.key.as_deref(), Some("arch"));
        let e = parse(
            "p.toml",
            "# c\nunicode = 1\n",
            "p",
            Some(Path::new("p.toml")),
            0,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.toml:2: key `unicode`: expected true or false"
        );
        let e = parse(
            "p.toml",
            "extends = \"nope\"\n",
            "p",
            Some(Path::new("p.toml")),
            0,
        )
        .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("extends"));
        let e = parse(
            "p.toml",
            "mpy_version = 5\n",
            "p",
            Some(Path::new("p.toml")),
            0,
        )
        .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("mpy_version"));
    }

    #[test]
    fn extends_overrides_some_keys() {
        let p = parse(
            "p.toml",
            "extends = \"esp8266\"\nopt_level = 2\n",
            "p",
            Some(Path::new("p.toml")),
            0,
        )
        .unwrap();
        assert_eq!(p.options.target.arch, Arch::Xtensa);
        assert_eq!(p.options.opt_level, 2);
        assert_eq!(p.mpy_cross_flags().join(" "), "-O2 -march=xtensa");
    }
}
