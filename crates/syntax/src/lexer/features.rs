//! Each release's lexer switches: what its tokeniser does beyond MicroPython 1.11's.

use mpcore::Release;

/// What a release's lexer does beyond 1.11's: data per release, read where the behaviour
/// forks, so the shared scanning code carries no release tests of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// `f'...'`, `rf'...'`, `fr'...'` literals, rewritten into `'...'.format(...)` calls, and
    /// `t'...'`, `rt'...'`, `tr'...'`, rewritten into `__template__(...)` calls.
    pub fstrings: bool,
    /// `t'...'`, `rt'...'`, `tr'...'` are t-strings (1.28 on); before, `t` is a name.
    pub tstrings: bool,
    /// `rf'...'` and `fr'...'` are f-strings (1.24 on); before, such a literal is the token
    /// FSTRING_RAW, which the parser reports as `raw f-strings are not supported`.
    pub raw_fstrings: bool,
    /// Adjacent f-strings join into one `.format(...)` call (1.24 on); before, each f-string
    /// of a run opens another `.format(`, which makes the injected text invalid syntax.
    pub adjacent_fstrings_join: bool,
    /// In an f-string, the character after `{{` or after an argument is checked for the
    /// closing quote and end of line like any other (1.28 on); up to 1.27 it is taken as text
    /// unless it is another `{` (so `f'{{'` runs on past its quote).
    pub fstring_text_after_brace_rechecked: bool,
    /// An f-string inside an f-string's argument is rewritten on its own (1.28 on). Before,
    /// its arguments are appended to the text being injected, read after the rest of it (with
    /// `.format(` first only where adjacent f-strings do not join), so `f"{f'{x}'}"` reads as
    /// `'{}'.format(('{}'),)(x),`; a literal that runs past the end of that text reads the
    /// appended arguments as its text, and its arguments after that end are injected after
    /// it, as an f-string's of its own.
    pub nested_fstrings: bool,
    /// An f-string argument with no text (`f'{}'`, `f'{!r}'`, `f'{=}'`) makes the token
    /// MALFORMED_FSTRING (1.28 on); before, it is copied as it is: an empty tuple,
    /// `'{}'.format((),)`, from 1.20, `.format(,)` (invalid syntax) in 1.19.
    pub empty_fstring_arg_malformed: bool,
    /// An f- or t-string's injected call that reaches the end of the input is followed by a
    /// LF (1.28 on: its look-ahead characters, saved as bytes behind the call, read back the
    /// first end-of-input as a missing final newline); up to 1.27 the input just ends there.
    pub fstring_call_at_end_gets_newline: bool,
    /// A byte 0xFF in injected text reads as the end of the input (up to 1.27: the text is
    /// read through a signed `char`, and 0xFF widens to the end-of-input mark), which the
    /// next-character step then turns into a LF unless a LF comes just before it; after a
    /// LF the input ends there, except for an f-string whose argument stops at the mark: it
    /// takes the mark as a byte of its text and reads on behind it. Any other byte of 0x80 or
    /// more widens too: escaped by a backslash in a string or bytes literal, it is out of
    /// every range, and the literal is INVALID.
    pub injected_ff_reads_as_end: bool,
    /// A NUL byte in injected text ends that text (up to 1.27, where NUL is the mark of its
    /// end): the bytes after it, and arguments of f-strings read inside it, are dropped, and
    /// the source resumes behind the f-string. (From 1.28 a NUL reads as byte 1.)
    pub injected_nul_ends_text: bool,
    /// Each f-string argument is wrapped in parentheses in the `.format(...)` call (1.20 on:
    /// `f'{a,b}'` formats the tuple); 1.19 copies it bare (`.format(a,b,)`, two arguments).
    pub fstring_args_parenthesised: bool,
    /// `!r` or `!s` before the `:` or `}` ends an f-string argument and stays in the format
    /// string (1.21 on); before, it is copied into the argument (`invalid syntax`).
    pub fstring_conversions: bool,
    /// In an f-string argument, `[`/`{` and `]`/`}` nest, so a `:` or `}` inside brackets
    /// does not end it (1.18 on; 1.17 ends the argument at the first `:` or `}`).
    pub fstring_brackets_nest: bool,
    /// `:=` is a token (1.13 on; before, `:` `=`).
    pub walrus: bool,
    /// `@=` is a token (1.12 on; 1.11 reads `@` `=`).
    pub at_equal: bool,
    /// A NEWLINE token is placed at the end of the line it ends (the LF), not at the next
    /// line's first token; a NEWLINE as first token is not turned into INDENT.
    pub newline_at_line_end: bool,
    /// A NUL byte in the source reads as byte 1 (1.28 on; 1.11 to 1.27 keep it as 0).
    pub nul_reads_as_one: bool,
    /// The release's mpy-cross has unicode compiled in, whatever `-municode` says (1.29 has
    /// no such option).
    pub always_unicode: bool,
}

/// 1.29's lexer (and, by default, any release newer than 1.11 without an entry of its own).
const FEATURES_1_29: Features = Features {
    fstrings: true,
    tstrings: true,
    raw_fstrings: true,
    adjacent_fstrings_join: true,
    fstring_text_after_brace_rechecked: true,
    nested_fstrings: true,
    empty_fstring_arg_malformed: true,
    fstring_call_at_end_gets_newline: true,
    injected_ff_reads_as_end: false,
    injected_nul_ends_text: false,
    fstring_args_parenthesised: true,
    fstring_conversions: true,
    fstring_brackets_nest: true,
    walrus: true,
    at_equal: true,
    newline_at_line_end: true,
    nul_reads_as_one: true,
    always_unicode: true,
};

/// 1.22's and 1.23's lexer (before raw and adjacent f-strings).
const FEATURES_1_22: Features = Features {
    tstrings: false,
    raw_fstrings: false,
    adjacent_fstrings_join: false,
    fstring_text_after_brace_rechecked: false,
    nested_fstrings: false,
    empty_fstring_arg_malformed: false,
    nul_reads_as_one: false,
    fstring_call_at_end_gets_newline: false,
    injected_ff_reads_as_end: true,
    injected_nul_ends_text: true,
    ..FEATURES_1_29
};

/// 1.11's lexer: none of the later switches.
const FEATURES_1_11: Features = Features {
    fstrings: false,
    tstrings: false,
    raw_fstrings: false,
    adjacent_fstrings_join: false,
    fstring_text_after_brace_rechecked: false,
    nested_fstrings: false,
    empty_fstring_arg_malformed: false,
    fstring_call_at_end_gets_newline: false,
    injected_ff_reads_as_end: false,
    injected_nul_ends_text: false,
    fstring_args_parenthesised: false,
    fstring_conversions: false,
    fstring_brackets_nest: false,
    walrus: false,
    at_equal: false,
    newline_at_line_end: false,
    nul_reads_as_one: false,
    always_unicode: false,
};

impl Features {
    /// The lexer features of `release`.
    pub const fn of(release: Release) -> Features {
        match release {
            Release::V1_11 => FEATURES_1_11,
            // 1.12 added `@` and `@=` (the matrix product).
            Release::V1_12 => Features {
                at_equal: true,
                ..FEATURES_1_11
            },
            // 1.20 wrapped f-string arguments in parentheses, 1.21 took `!r`/`!s`, 1.22 put
            // a NEWLINE token at the end of its line.
            Release::V1_13
            | Release::V1_14
            | Release::V1_15
            | Release::V1_16
            | Release::V1_17
            | Release::V1_18
            | Release::V1_19
            | Release::V1_20
            | Release::V1_21 => Features {
                // f-strings arrived in 1.17.
                fstrings: !matches!(
                    release,
                    Release::V1_13 | Release::V1_14 | Release::V1_15 | Release::V1_16
                ),
                fstring_args_parenthesised: !matches!(
                    release,
                    Release::V1_13
                        | Release::V1_14
                        | Release::V1_15
                        | Release::V1_16
                        | Release::V1_17
                        | Release::V1_18
                        | Release::V1_19
                ),
                fstring_conversions: matches!(release, Release::V1_21),
                newline_at_line_end: false,
                fstring_brackets_nest: !matches!(
                    release,
                    Release::V1_13
                        | Release::V1_14
                        | Release::V1_15
                        | Release::V1_16
                        | Release::V1_17
                ),
                // 1.13 to 1.18 have `-mno-unicode`.
                always_unicode: !matches!(
                    release,
                    Release::V1_13
                        | Release::V1_14
                        | Release::V1_15
                        | Release::V1_16
                        | Release::V1_17
                        | Release::V1_18
                ),
                ..FEATURES_1_22
            },
            // 1.24 added raw f-strings and the joining of adjacent f-strings.
            Release::V1_22 | Release::V1_23 => FEATURES_1_22,
            // 1.28 fixed `f'{{'`, added t-strings and nested f-strings, refused empty
            // f-string arguments, read NUL as 1 (NUL became its end-of-input mark) and saves
            // the look-ahead as bytes behind an injected call.
            Release::V1_24 | Release::V1_25 | Release::V1_26 | Release::V1_27 => Features {
                tstrings: false,
                fstring_text_after_brace_rechecked: false,
                nested_fstrings: false,
                empty_fstring_arg_malformed: false,
                nul_reads_as_one: false,
                fstring_call_at_end_gets_newline: false,
                injected_ff_reads_as_end: true,
                injected_nul_ends_text: true,
                ..FEATURES_1_29
            },
            _ => FEATURES_1_29,
        }
    }
}
