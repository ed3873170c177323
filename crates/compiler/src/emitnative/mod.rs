//! The native emitter: `py/emitnative.c` of MicroPython 1.11 over any [`Asm`] back end.
//!
//! Values of the Python stack live in registers, as immediates or in the C stack frame until
//! an operation needs them; locals live in the callee-saved registers where no exception
//! handler can lose them. Machine code is made in the reference's three passes (stack size,
//! code size, emit); the prelude follows the code, and the const table's objects and child
//! raw codes are recorded for the `.mpy` writer, with a qstr link for every qstr number the
//! code holds.
//!
//! This first cut covers native Python functions and modules without exception handlers or
//! generators; for anything else (viper types, `try`, `with`, `yield`, comprehensions' stores,
//! star calls, …) it stops the compile with a clean `NotImplementedError` naming the
//! construct, so it never writes code it cannot vouch for.

mod exc;
mod funtable;
mod gen;
mod ops;
mod scan;
mod stack;
mod tape;
mod viper;

use asm::{Asm, Label as AsmLabel, Reg};
use mpcore::{Arch, ExcKind, Qstr, QstrPool};
use rawcode::{Body, Const, NativeCode, NativeKind, QstrLink, RawCode};

use crate::compile::CompileError;
use crate::emit::{Label, Pass};
use crate::runtime0::{SCOPE_FLAG_GENERATOR, SCOPE_FLAG_REFGLOBALS};
use crate::scope::{EmitOpt, IdKind, Scope, ScopeId, ID_FLAG_IS_PARAM};
use funtable::Fun;
use tape::{Layout, Tape, Var};

/// `nlr_buf_t.ret_val`'s word.
const NLR_BUF_IDX_RET_VAL: usize = 1;
/// Words of `mp_code_state_t` before its `state` (fun_bc, ip, sp, exc_sp, old_globals).
const CODE_STATE_WORDS: usize = 5;
/// Word of `mp_obj_fun_bc_t` holding `globals`.
const FUN_BC_GLOBALS: usize = 1;
/// Word of `mp_obj_fun_bc_t` holding `const_table`.
const FUN_BC_CONST_TABLE: usize = 3;
/// `MP_VM_RETURN_YIELD` and `MP_VM_RETURN_EXCEPTION`: what a generator's code returns.
const VM_RETURN_YIELD: i64 = 1;
const VM_RETURN_EXCEPTION: i64 = 2;
/// Word of `mp_code_state_t` holding `sp`.
const CODE_STATE_SP: usize = 2;
/// `MP_OBJ_ITER_BUF_NSLOTS`.
const ITER_BUF_NSLOTS: usize = 4;

#[allow(dead_code)] // the viper types are tracked once viper typing lands
/// A value's type as the emitter tracks it (`vtype_kind_t`): the low bits are the
/// `MP_NATIVE_TYPE_*` number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VType {
    PyObj,
    Bool,
    Int,
    Uint,
    Ptr,
    Ptr8,
    Ptr16,
    Ptr32,
    /// `None` where a pointer may be.
    PtrNone,
    /// A local not yet assigned.
    Unbound,
    /// A viper cast such as `int(x)`.
    BuiltinCast,
}

impl VType {
    /// The name the reference's viper errors use (`vtype_to_qstr`).
    fn name(self) -> &'static str {
        match self {
            VType::PyObj => "object",
            VType::Bool => "bool",
            VType::Int => "int",
            VType::Uint => "uint",
            VType::Ptr => "ptr",
            VType::Ptr8 => "ptr8",
            VType::Ptr16 => "ptr16",
            VType::Ptr32 => "ptr32",
            _ => "None",
        }
    }
}

/// Where a stack value is (`stack_info_kind_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// In its slot of the C stack frame.
    Value,
    Reg(Reg),
    Imm(i64),
}

#[derive(Clone, Copy, Debug)]
struct StackEntry {
    vtype: VType,
    place: Place,
}

const UNBOUND_ENTRY: StackEntry = StackEntry {
    vtype: VType::Unbound,
    place: Place::Value,
};

/// What stops the emitter: the assembler's error, or a construct this emitter refuses.
#[derive(Clone, Debug)]
enum Stop {
    Asm(asm::AsmError),
    Refused(&'static str),
}

/// An error waiting for the compiler, kept with its qstrs until their text is known.
#[derive(Clone, Debug)]
enum Pending {
    Stop(Stop),
    /// `local '<name>' used before type known`.
    UsedBeforeType(Qstr),
    /// `local '<name>' has type '<had>' but source is '<got>'`.
    LocalType(Qstr, VType, VType),
    /// A viper type error whose text names no qstr.
    Message(String),
    /// A `NotImplementedError` the reference raises from inside its emitter (printed
    /// without a traceback): `native yield`.
    Raised(&'static str),
}

impl Pending {
    fn into_error(self, pool: &QstrPool, arch: &str) -> CompileError {
        // Messages naming a local are built as bytes: the reference prints the name's bytes
        // as they are, UTF-8 or not.
        let named = |parts: &[&[u8]]| -> (String, Option<Vec<u8>>) {
            let raw = parts.concat();
            match String::from_utf8(raw) {
                Ok(text) => (text, None),
                Err(e) => {
                    let raw = e.into_bytes();
                    (String::from_utf8_lossy(&raw).into_owned(), Some(raw))
                }
            }
        };
        let mut raw_message = None;
        let (kind, message) = match self {
            Pending::Stop(Stop::Refused(what)) => (
                ExcKind::NotImplementedError,
                format!("mpyc does not support {what} in native code yet"),
            ),
            Pending::Stop(Stop::Asm(e)) => (ExcKind::NotImplementedError, asm_refusal(&e, arch)),
            Pending::UsedBeforeType(q) => {
                let (text, raw) = named(&[b"local '", pool.get(q), b"' used before type known"]);
                raw_message = raw;
                (ExcKind::ViperTypeError, text)
            }
            Pending::Message(m) => (ExcKind::ViperTypeError, m),
            Pending::Raised(m) => (ExcKind::NotImplementedError, m.to_string()),
            Pending::LocalType(q, had, got) => {
                let (text, raw) = named(&[
                    b"local '",
                    pool.get(q),
                    b"' has type '",
                    had.name().as_bytes(),
                    b"' but source is '",
                    got.name().as_bytes(),
                    b"'",
                ]);
                raw_message = raw;
                (ExcKind::ViperTypeError, text)
            }
        };
        CompileError {
            kind,
            message,
            raw_message,
            line: 0,
            scope_name: Vec::new(),
        }
    }
}

/// The text of an assembler refusal: where the reference aborts or writes wrong code (a label
/// that moves between passes, an operand beyond its encoding), mpyc stops with a
/// `NotImplementedError` naming what the machine code would need.
fn asm_refusal(e: &asm::AsmError, arch: &str) -> String {
    use asm::AsmError;
    let what = match e {
        AsmError::LabelMoved { .. } | AsmError::CodeGrew { .. } => {
            "code whose size changes between passes".to_string()
        }
        AsmError::OutOfRange { what, value, .. } => format!("a {what} of {value}"),
        AsmError::BadRegister { what, reg, .. } => format!("register {reg} in {what}"),
        AsmError::Unsupported { what, .. } => what.to_string(),
        other => format!("this code ({other})"),
    };
    format!("mpyc does not support {what} in {arch} native code")
}

impl From<asm::AsmError> for Stop {
    fn from(e: asm::AsmError) -> Stop {
        Stop::Asm(e)
    }
}

type R<T = ()> = Result<T, Stop>;

/// The native emitter for the architecture `A` (one value per compilation, reused for every
/// native scope, as the reference reuses its emitter).
pub struct NativeEmitter<A: Asm> {
    /// The assembler, taping the first pass of each scope for the other two.
    asm: Tape<A>,
    arch: Arch,
    pass: Pass,
    viper: bool,

    // Facts of the scope being compiled (its flags are updated as the reference updates them).
    scope_flags: u16,
    num_pos_args: usize,
    num_kwonly_args: usize,
    num_def_pos_args: usize,
    num_locals: usize,
    exc_stack_size: usize,
    scope_stack_size: usize,
    simple_name: Qstr,
    source_file: Qstr,
    /// Local numbers of the scope's cells, in `id_info` order.
    cells: Vec<u16>,
    /// Argument names by local number (`*` where a slot has no named parameter).
    arg_names: Vec<Qstr>,

    local_vtype: Vec<VType>,
    /// The active exception handlers, innermost last.
    exc_stack: Vec<exc::ExcEntry>,
    /// The emitter's next own label, and where its own labels start.
    private_next: usize,
    private_base: usize,
    stack: Vec<StackEntry>,
    /// No entry of `stack` (live or popped) below this index is in a register: the spill
    /// loops start here, so a deep stack (a long list display) is not rescanned per push.
    reg_floor: usize,
    /// As `reg_floor`, for immediates.
    imm_floor: usize,
    stack_size: usize,
    saved_stack_vtype: VType,

    prelude_offset: usize,
    /// Where a generator's code starts running (after its entry), from the last pass.
    start_offset: usize,
    n_state: usize,
    code_state_start: usize,
    stack_start: usize,
    /// Words of the frame's `nlr_buf_t` (see [`crate::options::NlrBuf`]).
    nlr_buf_words: usize,
    exit_label: usize,

    const_table_cur_obj: usize,
    const_table_num_obj: usize,
    consts: Vec<Const>,
    children: Vec<ScopeId>,
    qstr_links: Vec<QstrLink>,
    last_emit_was_return_value: bool,

    /// The error waiting for the compiler (`take_error`).
    error: Option<Pending>,
    /// Set once anything failed in this scope: the rest of its passes emit nothing useful.
    failed: bool,
    /// The first assembler refusal of the compile, held back until the module has compiled
    /// without another error (`take_held_error`); `held_fresh` until the compiler took it.
    held: Option<Pending>,
    held_fresh: bool,
    /// Whether an assembler refusal was held back in the scope being compiled.
    held_in_scope: bool,
    /// The emit pass was made early, in place of the code-size pass (see `replay`).
    emitted_early: bool,
    /// Make every pass in full after a held refusal (`CodegenOptions::exact_after_refusal`).
    exact_after_refusal: bool,
    /// A pass ran without the assembler in this compile.
    muted_any: bool,
    /// This muted pass follows local bindings only (see `scan`).
    scanning: bool,
    /// An error may not be the reference's (see `Emit::unsure`).
    unsure: bool,
    /// The global names that are viper casts, with the type each gives.
    cast_names: Vec<(Qstr, VType)>,
}

impl<A: Asm> NativeEmitter<A> {
    /// A native emitter for `A`'s architecture, with room for `max_num_labels` labels per
    /// scope (the most any scope numbered in the scope pass).
    pub fn new(max_num_labels: usize) -> NativeEmitter<A> {
        NativeEmitter {
            // The compiler's labels, then as many again of the emitter's own (each use of
            // them comes with a label the compiler reserved and counted).
            asm: Tape::new(A::new(2 * max_num_labels + 8)),
            arch: Arch::from_march(A::ARCH).unwrap_or(Arch::None),
            nlr_buf_words: crate::options::NlrBuf::Host.words(Arch::None),
            pass: Pass::StackSize,
            viper: false,
            scope_flags: 0,
            num_pos_args: 0,
            num_kwonly_args: 0,
            num_def_pos_args: 0,
            num_locals: 0,
            exc_stack_size: 0,
            scope_stack_size: 0,
            simple_name: Qstr::NULL,
            source_file: Qstr::NULL,
            cells: Vec::new(),
            arg_names: Vec::new(),
            local_vtype: Vec::new(),
            exc_stack: Vec::new(),
            private_next: max_num_labels,
            private_base: max_num_labels,
            stack: Vec::new(),
            reg_floor: 0,
            imm_floor: 0,
            stack_size: 0,
            saved_stack_vtype: VType::PyObj,
            prelude_offset: 0,
            start_offset: 0,
            n_state: 0,
            code_state_start: 0,
            stack_start: 0,
            exit_label: 0,
            const_table_cur_obj: 0,
            const_table_num_obj: 0,
            consts: Vec::new(),
            children: Vec::new(),
            qstr_links: Vec::new(),
            last_emit_was_return_value: false,
            error: None,
            failed: false,
            held: None,
            held_fresh: false,
            held_in_scope: false,
            emitted_early: false,
            exact_after_refusal: false,
            muted_any: false,
            scanning: false,
            unsure: false,
            cast_names: [
                (&b"bool"[..], VType::Bool),
                (b"int", VType::Int),
                (b"uint", VType::Uint),
                (b"ptr", VType::Ptr),
                (b"ptr8", VType::Ptr8),
                (b"ptr16", VType::Ptr16),
                (b"ptr32", VType::Ptr32),
            ]
            .iter()
            .filter_map(|&(name, t)| mpcore::qstr::builtin(name).map(|q| (q, t)))
            .collect(),
        }
    }

    /// A boxed emitter, as the back-end lookup makes them.
    ///
    /// The raw codes carry the target's arch.
    pub fn boxed(
        opts: &crate::options::CodegenOptions,
        max_num_labels: usize,
    ) -> Box<dyn crate::emit::Emit>
    where
        A: 'static,
    {
        let mut emitter = NativeEmitter::<A>::new(max_num_labels);
        if opts.arch != Arch::None {
            emitter.arch = opts.arch;
        }
        emitter.nlr_buf_words = opts.nlr_buf.words(emitter.arch);
        emitter.exact_after_refusal = opts.exact_after_refusal;
        Box::new(emitter)
    }

    // ----- errors -----

    /// Records the outcome of an operation: a refusal or assembler error stops the scope
    /// (nothing more is emitted for it) and becomes its error unless one is waiting.
    ///
    /// An assembler refusal (an operand beyond the reference's encoding, a label that moved)
    /// is held back instead: the reference writes its code and compiles on, so an error it
    /// reports later in the module still comes first; the compile goes on without that
    /// instruction.
    ///
    /// A refusal the assembler noted while writing the reference's bytes
    /// ([`Asm::take_refusal`]) is held back too, with the value model whole.
    fn check(&mut self, r: R) {
        if let Some(e) = self.asm.asm.take_refusal() {
            if self.held.is_none() {
                self.held = Some(Pending::Stop(Stop::Asm(e)));
                self.held_fresh = true;
            }
        }
        if let Err(stop) = r {
            if self.failed || self.error.is_some() {
                self.failed = true;
                return;
            }
            if let Stop::Asm(_) = stop {
                if self.held.is_none() {
                    self.held = Some(Pending::Stop(stop));
                    self.held_fresh = true;
                }
                self.held_in_scope = true;
                return;
            }
            // After a held refusal the scope's model may be off (the refused operation
            // stopped halfway): the scope is given up silently, as its code is never written.
            if self.held.is_none() {
                self.error = Some(Pending::Stop(stop));
            }
            self.failed = true;
        }
    }

    /// A viper type error (the reference's `EMIT_NATIVE_VIPER_TYPE_ERROR`): it replaces any
    /// earlier one, and emitting goes on, as in the reference, until the compiler stops.
    ///
    /// After a held assembler refusal in this scope the value model may be off (the refused
    /// operation stopped halfway), so a type error is not trusted: the scope is given up
    /// (viper's `native yield` does not depend on the model and is raised still).
    fn viper_type_error(&mut self, e: Pending) {
        if self.held_in_scope && !matches!(e, Pending::Raised("native yield")) {
            self.failed = true;
            return;
        }
        self.error = Some(e);
    }

    // ----- frame layout -----

    pub(super) fn need_global_exc_handler(&self) -> bool {
        self.exc_stack_size > 0
            || self.scope_flags & (SCOPE_FLAG_GENERATOR | SCOPE_FLAG_REFGLOBALS) != 0
    }

    fn can_use_regs_for_locals(&self) -> bool {
        self.exc_stack_size == 0 && self.scope_flags & SCOPE_FLAG_GENERATOR == 0
    }

    fn local_idx_exc_val(&self) -> usize {
        NLR_BUF_IDX_RET_VAL
    }

    fn local_idx_ret_val(&self) -> usize {
        A::NLR_BUF_IDX_LOCAL_3
    }

    fn local_idx_fun_obj(&self) -> usize {
        self.code_state_start
    }

    fn local_idx_old_globals(&self) -> usize {
        self.code_state_start + 1
    }

    fn local_idx_local_var(&self, local_num: usize) -> usize {
        (self.stack_start + self.n_state)
            .wrapping_sub(1)
            .wrapping_sub(local_num)
    }

    fn reg_local(i: usize) -> Reg {
        [A::REG_LOCAL_1, A::REG_LOCAL_2, A::REG_LOCAL_3][i]
    }

    fn label(l: usize) -> AsmLabel {
        AsmLabel(l)
    }

    // ----- state access -----

    fn is_generator(&self) -> bool {
        self.scope_flags & SCOPE_FLAG_GENERATOR != 0
    }

    /// Stores `reg` to word `local` of the state: the C frame, or a generator's heap state.
    fn mov_state_reg(&mut self, local: usize, reg: Reg) -> R {
        if self.is_generator() {
            Ok(self.asm.store_reg_reg_offset(reg, A::REG_LOCAL_3, local)?)
        } else {
            Ok(self.asm.mov_local_reg(local, reg)?)
        }
    }

    fn mov_reg_state(&mut self, reg: Reg, local: usize) -> R {
        if self.is_generator() {
            Ok(self.asm.load_reg_reg_offset(reg, A::REG_LOCAL_3, local)?)
        } else {
            Ok(self.asm.mov_reg_local(reg, local)?)
        }
    }

    fn mov_reg_state_addr(&mut self, reg: Reg, local: usize) -> R {
        if self.is_generator() {
            self.asm.mov_reg_imm(reg, (local * A::WORD_SIZE) as i64)?;
            Ok(self.asm.add_reg_reg(reg, A::REG_LOCAL_3)?)
        } else {
            Ok(self.asm.mov_reg_local_addr(reg, local)?)
        }
    }

    fn mov_reg_const(&mut self, reg: Reg, f: Fun) -> R {
        Ok(self
            .asm
            .load_reg_reg_offset(reg, A::REG_FUN_TABLE, f.index())?)
    }

    /// Loads a qstr number in a fixed-size form and records its link.
    fn mov_reg_qstr(&mut self, reg: Reg, q: Qstr) -> R {
        let loc = self.asm.mov_reg_imm_fix_u16(reg, u32::from(q.0))?;
        if self.pass == Pass::Emit {
            self.qstr_links.push(QstrLink {
                off: link_off(loc, 1),
                qstr: q,
            });
        }
        Ok(())
    }

    /// Loads a qstr object (`MP_OBJ_NEW_QSTR`) in a fixed-size form and records its link.
    fn mov_reg_qstr_obj(&mut self, reg: Reg, q: Qstr) -> R {
        let obj = (i64::from(q.0) << 2) | 2;
        let loc = self.asm.mov_reg_imm_fix_word(reg, obj)?;
        if self.pass == Pass::Emit {
            self.qstr_links.push(QstrLink {
                off: link_off(loc, 2),
                qstr: q,
            });
        }
        Ok(())
    }

    fn call(&mut self, f: Fun) -> R {
        self.need_reg_all()?;
        Ok(self.asm.call_ind(f.index(), f.n_args())?)
    }

    fn call_with_imm_arg(&mut self, f: Fun, arg: i64, reg: Reg) -> R {
        self.need_reg_all()?;
        self.asm.mov_reg_imm(reg, arg)?;
        Ok(self.asm.call_ind(f.index(), f.n_args())?)
    }

    fn call_with_2_imm_args(&mut self, f: Fun, a1: i64, r1: Reg, a2: i64, r2: Reg) -> R {
        self.need_reg_all()?;
        self.asm.mov_reg_imm(r1, a1)?;
        self.asm.mov_reg_imm(r2, a2)?;
        Ok(self.asm.call_ind(f.index(), f.n_args())?)
    }

    fn call_with_qstr_arg(&mut self, f: Fun, q: Qstr, reg: Reg) -> R {
        self.need_reg_all()?;
        self.mov_reg_qstr(reg, q)?;
        Ok(self.asm.call_ind(f.index(), f.n_args())?)
    }

    // ----- passes -----

    fn start(&mut self, pass: Pass, scope: &Scope) -> R {
        self.begin(pass, scope, false);
        let r = self.entry(scope);
        // What the tape's calls were made under (the frame as the entry code laid it out).
        self.asm.layout = Layout {
            stack_start: self.stack_start,
            ..self.layout()
        };
        r
    }

    /// The entry code of a pass.
    fn entry(&mut self, scope: &Scope) -> R {
        if self.viper {
            return self.viper_entry(scope);
        }
        let n_args = self.num_pos_args + self.num_kwonly_args;
        if self.is_generator() {
            self.generator_entry(n_args)?;
        } else {
            self.function_entry(n_args)?;
        }

        self.global_exc_entry()?;

        if self.can_use_regs_for_locals() {
            for i in 0..self.num_locals.min(A::REG_LOCAL_NUM) {
                let local = self.var_local(i);
                self.asm.mov_reg_local(Self::reg_local(i), local)?;
            }
        }
        for &c in &self.cells {
            if let Some(v) = self.local_vtype.get_mut(usize::from(c)) {
                *v = VType::PyObj;
            }
        }
        Ok(())
    }

    /// Sets the emitter up for `pass` of `scope`, up to its entry code. A `replay` keeps what
    /// the first pass gathered (objects, children, the const count) and the tape.
    fn begin(&mut self, pass: Pass, scope: &Scope, replay: bool) {
        self.pass = pass;
        self.viper = scope.emit_options == EmitOpt::Viper;
        self.stack_size = 0;
        self.exc_stack.clear();
        self.private_next = self.private_base;
        if !replay {
            self.const_table_cur_obj = 0;
            self.consts.clear();
            self.children.clear();
            // The first pass is taped for the others; a pass walked again drops the tape.
            self.asm.begin(pass == Pass::StackSize);
            self.emitted_early = false;
            // Once a refusal is held the module can only fail: a native Python scope then
            // runs its stack-size pass alone (the compiler skips the others), and only its
            // value model's type errors can still decide the error. Without the assembler an
            // assembler error cannot take back the trust in a later type error, nor can a
            // later viper scope find the assembler's carried state: either makes the compile
            // unsure, to be made again in full.
            let mute = pass == Pass::StackSize
                && self.held.is_some()
                && !self.viper
                && !self.exact_after_refusal;
            if !mute && self.muted_any {
                self.unsure = true;
            }
            self.muted_any |= mute;
            self.asm.mute(mute);
            self.scanning = mute && self.saved_stack_vtype == VType::PyObj;
        }
        self.qstr_links.clear();
        self.last_emit_was_return_value = false;
        self.scope_flags = scope.scope_flags;
        self.num_pos_args = usize::from(scope.num_pos_args);
        self.num_kwonly_args = usize::from(scope.num_kwonly_args);
        self.num_def_pos_args = usize::from(scope.num_def_pos_args);
        self.num_locals = usize::from(scope.num_locals);
        self.exc_stack_size = usize::from(scope.exc_stack_size);
        self.scope_stack_size = usize::from(scope.stack_size);
        self.simple_name = scope.simple_name;
        self.source_file = scope.source_file;
        if pass == Pass::StackSize {
            self.error = None;
            self.failed = false;
            self.held_in_scope = false;
        }
        self.cells.clear();
        self.cells.extend(
            scope
                .id_info
                .iter()
                .filter(|id| id.kind == IdKind::Cell)
                .map(|id| id.local_num),
        );
        let n_args = self.num_pos_args + self.num_kwonly_args;
        let star = mpcore::qstr::builtin(b"*").unwrap_or(Qstr::NULL);
        self.arg_names.clear();
        self.arg_names.extend((0..n_args).map(|i| {
            scope
                .id_info
                .iter()
                .find(|id| id.flags & ID_FLAG_IS_PARAM != 0 && usize::from(id.local_num) == i)
                .map_or(star, |id| id.qst)
        }));

        let mut num_args = n_args;
        if self.scope_flags & crate::runtime0::SCOPE_FLAG_VARARGS != 0 {
            num_args += 1;
        }
        if self.scope_flags & crate::runtime0::SCOPE_FLAG_VARKEYWORDS != 0 {
            num_args += 1;
        }
        self.local_vtype.clear();
        self.local_vtype
            .resize(self.num_locals.max(num_args), VType::Unbound);
        for v in self.local_vtype.iter_mut().take(num_args) {
            *v = VType::PyObj;
        }
        for e in self.stack.iter_mut() {
            *e = UNBOUND_ENTRY;
        }
        self.reg_floor = self.stack.len();
        self.imm_floor = self.stack.len();

        if !self.asm.muted() {
            self.asm.asm.start_pass(if pass == Pass::Emit {
                asm::Pass::Emit
            } else {
                asm::Pass::Compute
            });
        }

        self.code_state_start = if self.need_global_exc_handler() {
            self.nlr_buf_words
        } else {
            0
        };
        self.n_state = self.num_locals + self.scope_stack_size;
    }

    /// The frame facts the code of this pass is laid out by (see [`Layout`]).
    fn layout(&self) -> Layout {
        Layout {
            // Viper's entry code also depends on whether the scope has constants.
            frame_flags: self.scope_flags
                & (SCOPE_FLAG_GENERATOR
                    | SCOPE_FLAG_REFGLOBALS
                    | if self.viper {
                        crate::runtime0::SCOPE_FLAG_HASCONSTS
                    } else {
                        0
                    }),
            exc_stack_size: self.exc_stack_size,
            num_locals: self.num_locals,
            viper: self.viper,
            stack_start: self.frame_stack_start(),
            code_state_start: self.code_state_start,
        }
    }

    /// Where the Python stack starts in the frame, as the entry code sets it.
    fn frame_stack_start(&self) -> usize {
        if self.viper {
            self.code_state_start
                + if self.need_global_exc_handler() {
                    2
                } else if self.scope_flags & crate::runtime0::SCOPE_FLAG_HASCONSTS != 0 {
                    1
                } else {
                    0
                }
        } else if self.is_generator() {
            CODE_STATE_WORDS
        } else {
            self.code_state_start + CODE_STATE_WORDS
        }
    }

    /// The state word of local `local_num`, announced to the tape as made from `n_state`:
    /// give it straight to one assembler call.
    fn var_local(&mut self, local_num: usize) -> usize {
        self.asm.operand_from(Var::NState, self.n_state);
        self.local_idx_local_var(local_num)
    }

    /// A generator's entry: its state is on the heap, its frame holds the nlr buffer.
    fn generator_entry(&mut self, n_args: usize) -> R {
        self.code_state_start = 0;
        self.stack_start = CODE_STATE_WORDS;
        self.asm
            .operand_from(Var::PreludeOffset, self.prelude_offset);
        self.asm.data(A::WORD_SIZE, self.prelude_offset as u64)?;
        self.asm.operand_from(Var::StartOffset, self.start_offset);
        self.asm.data(A::WORD_SIZE, self.start_offset as u64)?;
        self.asm.entry(self.nlr_buf_words)?;
        if A::ARGS_IN_REGS {
            self.asm.mov_reg_reg(A::REG_LOCAL_3, A::REG_ARG_1)?;
        } else {
            self.asm.mov_reg_arg(A::REG_LOCAL_3, 0)?;
            self.asm.mov_reg_arg(A::REG_ARG_2, 1)?;
        }
        self.asm
            .mov_local_reg(self.local_idx_exc_val(), A::REG_ARG_2)?;
        self.asm
            .load_reg_reg_offset(A::REG_TEMP0, A::REG_LOCAL_3, self.local_idx_fun_obj())?;
        self.asm
            .load_reg_reg_offset(A::REG_TEMP0, A::REG_TEMP0, FUN_BC_CONST_TABLE)?;
        Ok(self
            .asm
            .load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_TEMP0, n_args)?)
    }

    /// A function's entry: the code state in the C frame, set up by the runtime.
    fn function_entry(&mut self, n_args: usize) -> R {
        self.stack_start = self.code_state_start + CODE_STATE_WORDS;
        self.asm.operand_from(Var::NState, self.n_state);
        self.asm.entry(self.stack_start + self.n_state)?;
        if !A::ARGS_IN_REGS {
            self.asm.mov_reg_arg(A::REG_ARG_1, 0)?;
            self.asm.mov_reg_arg(A::REG_ARG_2, 1)?;
            self.asm.mov_reg_arg(A::REG_ARG_3, 2)?;
            self.asm.mov_reg_arg(A::REG_ARG_4, 3)?;
        }
        self.asm
            .load_reg_reg_offset(A::REG_LOCAL_3, A::REG_ARG_1, FUN_BC_CONST_TABLE)?;
        self.asm
            .load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_LOCAL_3, n_args)?;
        self.asm
            .mov_local_reg(self.local_idx_fun_obj(), A::REG_ARG_1)?;
        self.asm
            .operand_from(Var::PreludeOffset, self.prelude_offset);
        self.asm
            .mov_reg_imm(A::REG_ARG_1, self.prelude_offset as i64)?;
        self.mov_state_reg(self.code_state_start + 1, A::REG_ARG_1)?;
        self.asm
            .mov_reg_local_addr(A::REG_ARG_1, self.code_state_start)?;
        Ok(self.asm.call_ind_4_args(Fun::SetupCodeState.index())?)
    }

    /// The global exception handler's entry, for scopes without exception handlers or
    /// generators (labels 0 to 3 of the scope are its).
    /// The global exception handler's entry (labels 0 to 3 of the scope are its): globals
    /// swapped in, everything run inside an nlr context that re-raises (or, in a generator,
    /// returns the exception) after restoring them.
    fn global_exc_entry(&mut self) -> R {
        self.exit_label = 0;
        if !self.need_global_exc_handler() {
            return Ok(());
        }
        let start_label = Self::label(2);
        let generator = self.is_generator();
        if !generator {
            self.mov_reg_state(A::REG_ARG_1, self.local_idx_fun_obj())?;
            self.asm
                .load_reg_reg_offset(A::REG_ARG_1, A::REG_ARG_1, FUN_BC_GLOBALS)?;
            self.call(Fun::NativeSwapGlobals)?;
            self.mov_state_reg(self.local_idx_old_globals(), A::REG_RET)?;
        }
        if self.exc_stack_size == 0 {
            if !generator {
                self.asm.jump_if_reg_zero(A::REG_RET, start_label, false)?;
            }
            self.asm.mov_reg_local_addr(A::REG_ARG_1, 0)?;
            self.call(Fun::NlrPush)?;
            self.asm.jump_if_reg_zero(A::REG_RET, start_label, true)?;
        } else {
            self.global_exc_entry_with_handlers()?;
        }
        if generator {
            self.asm
                .mov_reg_local(A::REG_TEMP0, self.local_idx_exc_val())?;
            self.asm
                .store_reg_reg_offset(A::REG_TEMP0, A::REG_LOCAL_3, CODE_STATE_WORDS)?;
            self.asm.mov_reg_imm(A::REG_RET, VM_RETURN_EXCEPTION)?;
            self.asm.exit()?;
        } else {
            self.mov_reg_state(A::REG_ARG_1, self.local_idx_old_globals())?;
            self.call(Fun::NativeSwapGlobals)?;
            self.asm
                .mov_reg_local(A::REG_ARG_1, self.local_idx_exc_val())?;
            self.call(Fun::NativeRaise)?;
        }
        self.label_assign_(2)?;
        if generator {
            self.mov_reg_state(A::REG_TEMP0, self.code_state_start + 1)?;
            self.asm.jump_reg(A::REG_TEMP0)?;
            self.start_offset = self.asm.mark_start();
            self.asm
                .mov_reg_local(A::REG_ARG_1, self.local_idx_exc_val())?;
            self.call(Fun::NativeRaise)?;
        }
        Ok(())
    }

    fn global_exc_exit(&mut self) -> R {
        self.label_assign_(self.exit_label)?;
        if self.need_global_exc_handler() {
            let generator = self.is_generator();
            if !generator {
                self.mov_reg_state(A::REG_ARG_1, self.local_idx_old_globals())?;
                if self.exc_stack_size == 0 {
                    self.asm.jump_if_reg_zero(
                        A::REG_ARG_1,
                        Self::label(self.exit_label + 1),
                        false,
                    )?;
                }
                self.call(Fun::NativeSwapGlobals)?;
            }
            self.call(Fun::NlrPop)?;
            if !generator && self.exc_stack_size == 0 {
                self.label_assign_(self.exit_label + 1)?;
            }
            self.asm
                .mov_reg_local(A::REG_RET, self.local_idx_ret_val())?;
        }
        Ok(self.asm.exit()?)
    }

    /// The prelude after the code (native Python only): as bytecode's, with a 5-byte code
    /// info (names) and no line table.
    fn write_prelude(&mut self) -> R {
        self.prelude_offset = self.asm.asm.code_pos();
        let n_state = self.n_state;
        let flags = self.scope_flags;
        let bytes = [
            0x80 | ((n_state >> 7) & 0x7f) as u64,
            (n_state & 0x7f) as u64,
            0,
            u64::from(flags & 0xff),
            self.num_pos_args as u64,
            self.num_kwonly_args as u64,
            self.num_def_pos_args as u64,
            5,
            u64::from(self.simple_name.0 & 0xff),
            u64::from(self.simple_name.0 >> 8),
            u64::from(self.source_file.0 & 0xff),
            u64::from(self.source_file.0 >> 8),
        ];
        for b in bytes {
            self.asm.data(1, b)?;
        }
        for i in 0..self.cells.len() {
            let c = self.cells[i];
            if c >= 255 {
                return Err(Stop::Refused("more than 254 locals with cells"));
            }
            self.asm.data(1, u64::from(c))?;
        }
        self.asm.data(1, 255)?;
        Ok(())
    }

    fn end(&mut self, scope: &mut Scope) -> R {
        scope.stack_size = self.scope_stack_size.min(usize::from(u16::MAX)) as u16;
        scope.scope_flags = self.scope_flags;
        if self.failed {
            return Ok(());
        }
        self.global_exc_exit()?;
        if self.error.is_none() && !self.held_in_scope {
            self.asm.seal();
        } else {
            self.asm.discard();
        }
        self.finish(scope)
    }

    /// The end of a pass after the exit code: the prelude, and after the emit pass the raw
    /// code.
    fn finish(&mut self, scope: &mut Scope) -> R {
        if !self.viper {
            self.write_prelude()?;
        }
        self.close(scope)
    }

    /// The end of a pass after the prelude: the assembler's, the const table's check, and
    /// after the emit pass the raw code.
    fn close(&mut self, scope: &mut Scope) -> R {
        if self.asm.muted() {
            return Ok(());
        }
        self.asm.asm.end_pass()?;

        if self.pass != Pass::StackSize && self.const_table_num_obj != self.const_table_cur_obj {
            return Err(Stop::Refused("a const table that changes between passes"));
        }
        self.const_table_num_obj = self.const_table_cur_obj;

        if self.pass == Pass::Emit {
            // The reference keeps these in 16 bits and would save them cut short.
            if self.prelude_offset > 0xffff || self.qstr_links.len() > 0xffff {
                return Err(Stop::Refused("functions of over 64 KiB of machine code"));
            }
            let code = self.asm.asm.base_mut().take_code();
            // Exact-size copies: the emitter's own buffers keep their room for the next
            // scope instead of growing again from empty.
            let qstr_links = self.qstr_links.drain(..).collect();
            let kind = if self.viper {
                // `mp_raw_code_t` keeps 7 bits of the flags.
                NativeKind::Viper {
                    qstr_links,
                    scope_flags: u32::from(self.scope_flags & 0x7f),
                }
            } else {
                NativeKind::Python {
                    qstr_links,
                    prelude_offset: self.prelude_offset as u32,
                }
            };
            let mut rc = RawCode::new(Body::Native(NativeCode {
                arch: self.arch,
                code,
                kind,
            }));
            if !self.viper {
                rc.arg_names = self.arg_names.clone();
            }
            rc.consts = self.consts.drain(..).collect();
            scope.raw_code = Some(rc);
            scope.raw_code_children = self.children.drain(..).collect();
        }
        Ok(())
    }
}

/// A qstr link's saved `off`: the code offset shifted left 2 with the link kind, kept in 16
/// bits as the reference's `mp_qstr_link_entry_t` keeps it (so a link past 16 KiB of code is
/// saved wrapped around, as mpy-cross 1.11 saves it).
fn link_off(loc: usize, kind: u32) -> u32 {
    ((loc as u32) << 2 | kind) & 0xffff
}

/// Converts a compiler label.
fn label_of(l: Label) -> usize {
    l as usize
}
