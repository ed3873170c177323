//! End-to-end tests of the `mpyc` command: one module per area, each driving the built binary.

mod build_cli;
mod build_confined;
mod build_errors;
mod build_example;
mod build_interrupt;
mod build_make;
mod build_profiles;
mod build_queue;
mod build_safety;
mod build_support;
mod build_tree;
mod compile_cli;
mod compile_cli_129;
mod compile_releases;
mod compile_releases_119;
mod compile_releases_v5;
mod conformance129;
mod corpus;
mod corpus129;
mod differential;
mod differential129;
mod freeze_cli;
mod hostile;
mod native_nlr;
mod support;
mod top_cli;
