//! End-to-end tests of the `mpyc` command: one module per area, each driving the built binary.

mod compile_cli;
mod support;
