//! Scopes: what the compiler knows of each module, class, function, lambda and comprehension.
//!
//! Mirrors `scope_t`/`id_info_t` of `py/scope.h`; the code generator fills these in during the
//! scope pass and the emitters read them (and store their results back) in later passes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use mpcore::Qstr;
use rawcode::RawCode;
use syntax::Node;

/// Index of a scope in the compiler's scope list (creation order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub u32);

/// What kind of code a scope is, in the reference's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    Module,
    Class,
    Lambda,
    ListComp,
    DictComp,
    SetComp,
    GenExpr,
    Function,
}

/// How a name is bound in a scope (`ID_INFO_KIND_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdKind {
    Undecided,
    GlobalImplicit,
    GlobalExplicit,
    /// Written in this function and referenced only here.
    Local,
    /// Local to this function and used by inner functions.
    Cell,
    /// Belongs to an enclosing function.
    Free,
}

/// `ID_FLAG_IS_PARAM`.
pub const ID_FLAG_IS_PARAM: u8 = 0x01;
/// `ID_FLAG_IS_STAR_PARAM`.
pub const ID_FLAG_IS_STAR_PARAM: u8 = 0x02;
/// `ID_FLAG_IS_DBL_STAR_PARAM`.
pub const ID_FLAG_IS_DBL_STAR_PARAM: u8 = 0x04;
/// A local that no source name can reach: the iterator of an `async for` whose iterator
/// expression is not a leaf (see [`Scope::find_or_add_hidden`]). Not a reference flag.
pub const ID_FLAG_IS_HIDDEN: u8 = 0x08;
/// A name a module or class body assigns while it is still global (1.29's
/// `ID_INFO_KIND_GLOBAL_IMPLICIT_ASSIGNED`): it is never closed over. Not a reference flag.
pub const ID_FLAG_ASSIGNED: u8 = 0x80;
/// Bit position of a viper argument's type in the flags (`ID_FLAG_VIPER_TYPE_POS`).
pub const ID_FLAG_VIPER_TYPE_POS: u8 = 4;

/// One name known to a scope (`id_info_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdInfo {
    pub kind: IdKind,
    pub flags: u8,
    /// Local slot number (locals), or closed-over variable number (cells and frees).
    pub local_num: u16,
    pub qst: Qstr,
}

/// Which emitter compiles a scope (`MP_EMIT_OPT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum EmitOpt {
    #[default]
    Bytecode,
    NativePython,
    Viper,
    AsmThumb,
    AsmXtensa,
    /// `@micropython.asm_rv32` (1.25 on; mpyc has no RISC-V assembler).
    AsmRv32,
}

/// One scope (`scope_t`).
#[derive(Clone, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    /// The parse node the scope was made from (funcdef, classdef, lambdef, comprehension, module).
    pub pn: Node,
    pub source_file: Qstr,
    pub simple_name: Qstr,
    /// `MP_SCOPE_FLAG_*` bits.
    pub scope_flags: u16,
    pub emit_options: EmitOpt,
    pub num_pos_args: u16,
    pub num_kwonly_args: u16,
    pub num_def_pos_args: u16,
    pub num_locals: u16,
    /// Maximum depth of the value stack, computed by the emitter.
    pub stack_size: u16,
    /// Maximum depth of the exception stack, computed by the emitter.
    pub exc_stack_size: u16,
    /// Names in the order first met (the order decides local slot numbers).
    pub id_info: Vec<IdInfo>,
    /// Set by the emitter at the end of the emit pass; children are linked in afterwards.
    pub raw_code: Option<RawCode>,
    /// The scopes whose raw codes are this one's children, in const-table order (set by the
    /// emitter with `raw_code`).
    pub raw_code_children: Vec<ScopeId>,
    /// Position of each name in `id_info`, kept by [`Scope::find_or_add_id`] once a scope has
    /// more than `LINEAR_FIND_MAX` names so that scopes with thousands of names are not
    /// searched linearly (consulted only while it covers exactly `id_info`).
    id_index: HashMap<Qstr, u32, BuildHasherDefault<QstrHasher>>,
    /// The hidden locals ([`ID_FLAG_IS_HIDDEN`]) by key, as indices into `id_info`; they are
    /// not in `id_index`.
    hidden: HashMap<u64, u32>,
}

/// A hasher for qstr numbers (16-bit keys): one multiply.
#[derive(Default)]
struct QstrHasher(u64);

impl Hasher for QstrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u16(&mut self, n: u16) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Scopes with at most this many names are searched linearly.
const LINEAR_FIND_MAX: usize = 16;

/// Lists of each kind (names, raw-code children) kept for reuse: at most this many...
const SPARE_LISTS_MAX: usize = 1024;
/// ...each with room for at most this many entries.
const SPARE_LIST_CAPACITY_MAX: usize = 256;

/// Most scopes a kept scope list has room for.
const SPARE_SCOPE_LIST_CAPACITY_MAX: usize = 4096;

/// The emptied lists of finished compilations, kept in a
/// [`CompileContext`](crate::CompileContext) for the scopes of the next ones (saves an
/// allocation and a free per scope).
#[derive(Default)]
pub(crate) struct ScopeSpares {
    /// Name lists (`id_info`).
    id_lists: Vec<Vec<IdInfo>>,
    /// Lists of raw-code children (lent to the bytecode emitter while it runs).
    pub(crate) child_lists: Vec<Vec<ScopeId>>,
    /// The scope list of the last compilation.
    scope_list: Vec<Scope>,
}

impl std::fmt::Debug for ScopeSpares {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopeSpares")
            .field("id_lists", &self.id_lists.len())
            .field("child_lists", &self.child_lists.len())
            .field("scope_list_capacity", &self.scope_list.capacity())
            .finish()
    }
}

impl ScopeSpares {
    /// An empty scope list with room for at least `n` scopes, reusing the spare one.
    pub(crate) fn scope_list(&mut self, n: usize) -> Vec<Scope> {
        let mut list = std::mem::take(&mut self.scope_list);
        list.reserve(n);
        list
    }

    /// Empties `list` (which is done with) and keeps it, and the lists its scopes hold, for
    /// the next compilation.
    pub(crate) fn recycle(&mut self, mut list: Vec<Scope>) {
        keep_spares(&mut self.id_lists, &mut list, |s| &mut s.id_info);
        keep_spares(&mut self.child_lists, &mut list, |s| {
            &mut s.raw_code_children
        });
        list.clear();
        if list.capacity() <= SPARE_SCOPE_LIST_CAPACITY_MAX {
            self.scope_list = list;
        }
    }

    /// An empty name list, with room from an earlier scope if one is spare.
    pub(crate) fn id_list(&mut self) -> Vec<IdInfo> {
        self.id_lists.pop().unwrap_or_default()
    }
}

/// Keeps the list `list` picks out of each of `scopes` (which are done with) in `spare`, as
/// long as it is not empty, not huge, and `spare` has room.
fn keep_spares<T>(
    spare: &mut Vec<Vec<T>>,
    scopes: &mut [Scope],
    list: impl Fn(&mut Scope) -> &mut Vec<T>,
) {
    for scope in scopes.iter_mut() {
        if spare.len() >= SPARE_LISTS_MAX {
            break;
        }
        let l = list(scope);
        let cap = l.capacity();
        if cap > 0 && cap <= SPARE_LIST_CAPACITY_MAX {
            let mut l = std::mem::take(l);
            l.clear();
            spare.push(l);
        }
    }
}

impl Scope {
    /// A fresh scope with nothing known yet.
    pub fn new(kind: ScopeKind, pn: Node, source_file: Qstr, emit_options: EmitOpt) -> Scope {
        Scope {
            kind,
            parent: None,
            pn,
            source_file,
            simple_name: Qstr::NULL,
            scope_flags: 0,
            emit_options,
            num_pos_args: 0,
            num_kwonly_args: 0,
            num_def_pos_args: 0,
            num_locals: 0,
            stack_size: 0,
            exc_stack_size: 0,
            id_info: Vec::new(),
            raw_code: None,
            raw_code_children: Vec::new(),
            id_index: HashMap::default(),
            hidden: HashMap::new(),
        }
    }
}

impl ScopeKind {
    /// True for lambdas, comprehensions and functions (`SCOPE_IS_FUNC_LIKE`).
    pub fn is_func_like(self) -> bool {
        !matches!(self, ScopeKind::Module | ScopeKind::Class)
    }

    /// The simple name of a scope that has no name of its own (`<module>`, `<lambda>`, ...);
    /// all are in the reference's static qstr pool.
    pub fn anonymous_name(self) -> Option<&'static [u8]> {
        match self {
            ScopeKind::Module => Some(b"<module>"),
            ScopeKind::Lambda => Some(b"<lambda>"),
            ScopeKind::ListComp => Some(b"<listcomp>"),
            ScopeKind::DictComp => Some(b"<dictcomp>"),
            ScopeKind::SetComp => Some(b"<setcomp>"),
            ScopeKind::GenExpr => Some(b"<genexpr>"),
            ScopeKind::Class | ScopeKind::Function => None,
        }
    }
}

impl Scope {
    /// Index of the name `qst` in [`Scope::id_info`], if known (`scope_find`).
    pub fn find(&self, qst: Qstr) -> Option<usize> {
        if self.id_info.len() > LINEAR_FIND_MAX && self.index_covers_all() {
            return self.id_index.get(&qst).map(|&i| i as usize);
        }
        self.id_info
            .iter()
            .position(|id| id.qst == qst && id.flags & ID_FLAG_IS_HIDDEN == 0)
    }

    /// True while `id_index` holds every name of `id_info` (hidden locals aside).
    fn index_covers_all(&self) -> bool {
        self.id_index.len() + self.hidden.len() == self.id_info.len()
    }

    /// Index of the hidden local `key`, adding it at the end as a local if new.
    ///
    /// The reference names the iterator of `async for` by reading the iterator's parse node
    /// as a leaf: for a struct node that is a number made from its address, which no qstr
    /// and no other node shares. Such a local is found by its `key` (unique per node, or per
    /// out-of-range leaf value), never by a name; its `qst` is unused.
    pub fn find_or_add_hidden(&mut self, key: u64) -> usize {
        if let Some(&i) = self.hidden.get(&key) {
            return i as usize;
        }
        let i = self.id_info.len();
        self.id_info.push(IdInfo {
            kind: IdKind::Local,
            flags: ID_FLAG_IS_HIDDEN,
            local_num: 0,
            qst: Qstr::NULL,
        });
        self.hidden.insert(key, i as u32);
        i
    }

    /// Index of the hidden local `key`, if the scope pass made one.
    pub fn find_hidden(&self, key: u64) -> Option<usize> {
        self.hidden.get(&key).map(|&i| i as usize)
    }

    /// Exchanges two names' places in [`Scope::id_info`].
    pub fn swap_ids(&mut self, a: usize, b: usize) {
        self.id_info.swap(a, b);
        if self.index_covers_all() {
            self.id_index.insert(self.id_info[a].qst, a as u32);
            self.id_index.insert(self.id_info[b].qst, b as u32);
        }
    }

    /// Index of the name `qst`, adding it with `kind` at the end if new (`scope_find_or_add_id`).
    pub fn find_or_add_id(&mut self, qst: Qstr, kind: IdKind) -> usize {
        if let Some(i) = self.find(qst) {
            return i;
        }
        self.push_id(qst, kind)
    }

    /// Adds the name `qst`, not yet known, with `kind` at the end; gives its index.
    #[inline]
    pub fn push_id(&mut self, qst: Qstr, kind: IdKind) -> usize {
        let i = self.id_info.len();
        if i == 0 {
            self.id_info.reserve(LINEAR_FIND_MAX);
        }
        self.id_info.push(IdInfo {
            kind,
            flags: 0,
            local_num: 0,
            qst,
        });
        if i >= LINEAR_FIND_MAX {
            self.index_new_id(qst, i);
        }
        i
    }

    /// Keeps the name index covering a scope with more names than are searched linearly,
    /// after `qst` was added at `i`.
    fn index_new_id(&mut self, qst: Qstr, i: usize) {
        if self.id_index.len() + self.hidden.len() == i {
            self.id_index.insert(qst, i as u32);
        } else if self.id_index.is_empty() {
            // The scope just outgrew linear search: index every name so far.
            self.id_index.reserve(2 * self.id_info.len());
            for (j, id) in self.id_info.iter().enumerate() {
                if id.flags & ID_FLAG_IS_HIDDEN == 0 {
                    self.id_index.entry(id.qst).or_insert(j as u32);
                }
            }
        }
    }
}

/// A scope's free variables, found by name in time logarithmic in their number.
///
/// Matching a parent's cells and frees against a child's frees by a search of the child for
/// each of them costs their product, which nested closures make cubic over a program.
pub struct FreesByName(Vec<(Qstr, u32)>);

impl FreesByName {
    /// The free variables of `scope`, each with its index in `id_info`.
    pub fn of(scope: &Scope) -> FreesByName {
        let mut frees: Vec<(Qstr, u32)> = scope
            .id_info
            .iter()
            .enumerate()
            .filter(|(_, id)| id.kind == IdKind::Free)
            .map(|(i, id)| (id.qst, i as u32))
            .collect();
        frees.sort_unstable();
        FreesByName(frees)
    }

    /// Indices in `id_info` of the free variables named `qst`, in `id_info` order.
    pub fn named(&self, qst: Qstr) -> impl Iterator<Item = usize> + '_ {
        let start = self.0.partition_point(|&(q, _)| q < qst);
        self.0[start..]
            .iter()
            .take_while(move |&&(q, _)| q == qst)
            .map(|&(_, i)| i as usize)
    }
}

/// The outermost scope of `scope` (the module), following parent links.
pub fn outermost(scopes: &[Scope], mut scope: ScopeId) -> ScopeId {
    while let Some(p) = scopes[scope.0 as usize].parent {
        scope = p;
    }
    scope
}

/// Marks `qst` as closed over from `scope` up to the enclosing scope that binds it
/// (`scope_close_over_in_parents`): intermediate scopes get a free variable, the binding
/// scope turns its local into a cell.
///
/// Gives the number of names added to scopes on the way.
fn close_over_in_parents(scopes: &mut [Scope], scope: ScopeId, qst: Qstr) -> usize {
    let mut added = 0;
    let mut cur = scopes[scope.0 as usize].parent;
    while let Some(s) = cur {
        let sc = &mut scopes[s.0 as usize];
        if sc.parent.is_none() {
            // The module never binds closed-over names; the search found a binding below it.
            return added;
        }
        let n = sc.id_info.len();
        let i = sc.find_or_add_id(qst, IdKind::Undecided);
        added += sc.id_info.len() - n;
        let id = &mut sc.id_info[i];
        if id.kind == IdKind::Undecided {
            id.kind = IdKind::Free;
            cur = sc.parent;
        } else {
            if id.kind == IdKind::Local {
                id.kind = IdKind::Cell;
            }
            return added;
        }
    }
    added
}

/// Decides whether the name at `id_index` of `scope` belongs to an enclosing function
/// (`scope_check_to_close_over`); if so it becomes free here and is closed over in between.
///
/// Gives the number of names this added to enclosing scopes.
pub fn check_to_close_over(scopes: &mut [Scope], scope: ScopeId, id_index: usize) -> usize {
    let qst = scopes[scope.0 as usize].id_info[id_index].qst;
    let mut cur = scopes[scope.0 as usize].parent;
    while let Some(s) = cur {
        let sc = &scopes[s.0 as usize];
        if sc.parent.is_none() {
            break;
        }
        if let Some(j) = sc.find(qst) {
            let k = sc.id_info[j].kind;
            if matches!(k, IdKind::Local | IdKind::Cell | IdKind::Free) {
                scopes[scope.0 as usize].id_info[id_index].kind = IdKind::Free;
                return close_over_in_parents(scopes, scope, qst);
            }
            break;
        }
        cur = sc.parent;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_first_position_in_large_scopes() {
        let mut s = Scope::new(ScopeKind::Module, Node::Null, Qstr(1), EmitOpt::Bytecode);
        for n in 0..100u16 {
            assert_eq!(s.find_or_add_id(Qstr(400 + n), IdKind::Local), n as usize);
        }
        assert_eq!(s.find_or_add_id(Qstr(450), IdKind::Free), 50);
        assert_eq!(s.id_info[50].kind, IdKind::Local);
        s.swap_ids(3, 97);
        assert_eq!(s.find(Qstr(403)), Some(97));
        assert_eq!(s.find(Qstr(497)), Some(3));
        assert_eq!(s.find(Qstr(999)), None);
        // A list replaced wholesale is searched linearly.
        s.id_info = vec![IdInfo {
            kind: IdKind::Local,
            flags: 0,
            local_num: 0,
            qst: Qstr(7),
        }];
        assert_eq!(s.find(Qstr(7)), Some(0));
        assert_eq!(s.find(Qstr(450)), None);
    }
}
