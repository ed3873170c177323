//! MicroPython 1.11's compile-walk rules (the walk was written for this release).

use super::{Rules, StarArgs};

pub const RULES: Rules = Rules {
    star_args: StarArgs::TrailingPair,
    paren_cond_shortcut: true,
    finally_return_slot: false,
    scope_start_line: false,
    parser_constants: false,
    parser_flattens_lists: false,
    truth_of_any_const: false,
    break_continue_message: None,
    import_star_module_only: false,
    assigned_names_stay_global: false,
    drops_dead_code: false,
    async_for_iterator_on_stack: false,
    async_for_awaits_aiter: true,
    walrus_stores_via_parent: false,
    async_needs_async_def: false,
    star_after_keyword_error: false,
    asm_rv32_decorator: false,
    thumb_ops_by_arch: false,
};
