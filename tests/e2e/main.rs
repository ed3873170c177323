//! End-to-end tests of the `mpyc` command: one module per area, each driving the built binary.

mod build_errors;
mod build_example;
mod build_profiles;
mod build_queue;
mod build_support;
mod build_tree;
mod compile_cli;
mod corpus;
mod differential;
mod hostile;
mod support;
