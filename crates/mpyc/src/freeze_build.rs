//! `mpyc build --freeze`: the frozen C of a build's outputs, as mpy-tool.py 1.11 `-f` prints it
//! for them in path order, with each module's part kept in the out dir so that a rebuild
//! regenerates only the parts of changed modules.

use mpyfile::freeze::{FreezeOptions, LongIntImpl, QstrHeader};
use std::path::PathBuf;

/// `mpyc build --freeze`: the options that decide the frozen C.
#[derive(clap::Args, Debug, Default)]
pub struct BuildFreezeArgs {
    /// Also write the frozen C of all outputs (what mpy-tool.py 1.11 -f prints for them, in
    /// path order) to FILE; only changed modules' parts are regenerated.
    #[arg(long, value_name = "FILE")]
    pub freeze: Option<PathBuf>,
    /// The qstr header to freeze against (mpy-tool.py's -q).
    #[arg(long, value_name = "FILE")]
    pub freeze_qstr_header: Option<PathBuf>,
    /// The target's long-int implementation (none, longlong, mpz; default mpz).
    #[arg(long, value_name = "IMPL", value_parser = LONGINT_NAMES)]
    pub freeze_longint_impl: Option<String>,
    /// The target's mpz digit size (default 16).
    #[arg(long, value_name = "N")]
    pub freeze_mpz_dig_size: Option<i64>,
}

const LONGINT_NAMES: [&str; 3] = ["none", "longlong", "mpz"];

/// The freezing settings of a build: the `[freeze]` table of `mpyc.toml` (paths relative to
/// the project folder) with the command line's `--freeze*` options over it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FreezeSettings {
    /// Where the frozen C goes; no freezing without it.
    pub output: Option<PathBuf>,
    pub qstr_header: Option<PathBuf>,
    pub longint_impl: Option<String>,
    pub mpz_dig_size: Option<i64>,
}

impl FreezeSettings {
    /// Reads a `[freeze]` table: `output`, `qstr_header` (paths), `longint_impl` (`none`,
    /// `longlong` or `mpz`), `mpz_dig_size` (an integer). The error names the key.
    pub fn from_toml(value: &toml::Value) -> Result<FreezeSettings, (String, String)> {
        let table = value
            .as_table()
            .ok_or_else(|| ("freeze".to_string(), "expected a table".to_string()))?;
        let mut s = FreezeSettings::default();
        for (key, v) in table {
            let bad = |m: &str| (format!("freeze.{key}"), m.to_string());
            let text = || match v.as_str() {
                Some(t) if !t.is_empty() => Ok(t.to_string()),
                _ => Err(bad("expected a non-empty string")),
            };
            match key.as_str() {
                "output" => s.output = Some(text()?.into()),
                "qstr_header" => s.qstr_header = Some(text()?.into()),
                "longint_impl" => {
                    let t = text()?;
                    if !LONGINT_NAMES.contains(&t.as_str()) {
                        return Err(bad("expected \"none\", \"longlong\" or \"mpz\""));
                    }
                    s.longint_impl = Some(t);
                }
                "mpz_dig_size" => {
                    s.mpz_dig_size = Some(v.as_integer().ok_or_else(|| bad("expected an integer"))?)
                }
                _ => return Err(bad("unknown key")),
            }
        }
        Ok(s)
    }

    /// Paths made relative to `dir` (the project folder).
    pub fn relative_to(mut self, dir: &std::path::Path) -> FreezeSettings {
        self.output = self.output.map(|p| dir.join(p));
        self.qstr_header = self.qstr_header.map(|p| dir.join(p));
        self
    }

    /// These settings with the command line's options over them.
    pub fn with_args(&self, args: &BuildFreezeArgs) -> FreezeSettings {
        FreezeSettings {
            output: args.freeze.clone().or_else(|| self.output.clone()),
            qstr_header: args
                .freeze_qstr_header
                .clone()
                .or_else(|| self.qstr_header.clone()),
            longint_impl: args
                .freeze_longint_impl
                .clone()
                .or_else(|| self.longint_impl.clone()),
            mpz_dig_size: args.freeze_mpz_dig_size.or(self.mpz_dig_size),
        }
    }
}

/// Folder of the out dir keeping each module's frozen C, named by a hash of its `.mpy` and
/// the configuration.
const FRAGMENT_DIR: &str = ".mpyc-freeze";

/// Writes the frozen C of the build's outputs (`out_rels`, below `out_dir`) to the settings'
/// output and, unless `quiet`, a line saying how many modules' C was regenerated.
pub fn freeze_build<'a>(
    args: &FreezeSettings,
    out_dir: &std::path::Path,
    out_rels: impl Iterator<Item = &'a str>,
    quiet: bool,
) -> Result<(), String> {
    use mpyfile::freeze::{assemble, emit_config, fragment, freeze, FileFlags, Fragment};
    let Some(target) = &args.output else {
        if args != &FreezeSettings::default() {
            return Err(
                "--freeze-* options need --freeze FILE (or `output` in the [freeze] \
                        table of mpyc.toml)"
                    .into(),
            );
        }
        return Ok(());
    };
    let mut options = FreezeOptions::default();
    if let Some(name) = &args.longint_impl {
        options.longint = LongIntImpl::from_name(name).ok_or_else(|| {
            format!("--freeze-longint-impl: `{name}` is not none, longlong or mpz")
        })?;
    }
    if let Some(n) = args.mpz_dig_size {
        options.mpz_dig_size = n;
    }
    if let Some(h) = &args.qstr_header {
        let bytes = std::fs::read(h).map_err(|e| format!("cannot read `{}`: {e}", h.display()))?;
        options.header = QstrHeader::parse(&bytes).map_err(|e| format!("{}: {e}", h.display()))?;
    }
    let mut rels: Vec<&str> = out_rels.filter(|r| r.ends_with(".mpy")).collect();
    rels.sort_unstable();
    rels.dedup();
    let mut files = Vec::with_capacity(rels.len());
    for rel in &rels {
        let path = out_dir.join(rel);
        files.push(
            std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
        );
    }
    // The flags of the last file decide the configuration, as in mpy-tool.py.
    let last = files
        .last()
        .and_then(|b| b.get(2))
        .map_or(FileFlags::default(), |&f| FileFlags {
            cache_lookup_bc: f & 1 != 0,
            native_arch: f >> 2,
        });
    let config = emit_config(last, &options);
    let cache_dir = out_dir.join(FRAGMENT_DIR);
    let _ = std::fs::create_dir_all(&cache_dir);
    let salt = format!("{config:?}");
    let mut fragments: Vec<Option<Fragment>> = Vec::with_capacity(files.len());
    let mut used = std::collections::HashSet::new();
    let mut regenerated = 0;
    for bytes in &files {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(salt.as_bytes());
        h.update(bytes);
        let name = format!("{:032x}.json", h.digest128());
        let path = cache_dir.join(&name);
        let cached = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Fragment>(&b).ok());
        let f = match cached {
            Some(f) => Some(f),
            None => {
                regenerated += 1;
                let f = fragment(bytes, &config).ok();
                if let Some(f) = &f {
                    if let Ok(json) = serde_json::to_vec(f) {
                        let _ = std::fs::write(&path, json);
                    }
                }
                f
            }
        };
        used.insert(name);
        fragments.push(f);
    }
    // Fragments of modules no longer built or changed since.
    if let Ok(dir) = std::fs::read_dir(&cache_dir) {
        for entry in dir.flatten() {
            if !used.contains(&*entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let all: Option<Vec<&Fragment>> = fragments.iter().map(Option::as_ref).collect();
    let (c, one_pass) = match all.and_then(|f| assemble(&f, &config, &options)) {
        Some(c) => (c, false),
        None => {
            let c = freeze(files.iter().map(Vec::as_slice), &options).map_err(|failure| {
                let _ = std::fs::remove_file(target);
                format!(
                    "cannot freeze into `{}`: {}",
                    target.display(),
                    failure.error
                )
            })?;
            (c, true)
        }
    };
    crate::driver::output::write_if_changed(target, c.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
    if !quiet {
        let how = if one_pass {
            "all in one pass: their names clash"
        } else {
            "the others reused"
        };
        eprintln!(
            "froze {} modules into `{}` ({regenerated} regenerated, {how})",
            files.len(),
            target.display()
        );
    }
    Ok(())
}
