//! `cargo xtask oracle | test | conformance | bench`.

fn main() -> anyhow::Result<()> {
    anyhow::bail!("xtask: nothing here yet")
}
