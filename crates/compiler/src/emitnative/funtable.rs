//! Entries of the runtime's `mp_fun_table` that native code calls through (`mp_fun_kind_t` of
//! MicroPython 1.11's `py/runtime0.h`, as the cross compiler configures it: sets and slices
//! on), with the argument count of each (x86 pushes that many registers around the call).

/// An `mp_fun_table` entry, numbered as v1.11 numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // the whole table, as the runtime has it; the emitter grows into it
pub enum Fun {
    ConstNoneObj = 0,
    ConstFalseObj,
    ConstTrueObj,
    ConvertObjToNative,
    ConvertNativeToObj,
    NativeSwapGlobals,
    LoadName,
    LoadGlobal,
    LoadBuildClass,
    LoadAttr,
    LoadMethod,
    LoadSuperMethod,
    StoreName,
    StoreGlobal,
    StoreAttr,
    ObjSubscr,
    ObjIsTrue,
    UnaryOp,
    BinaryOp,
    BuildTuple,
    BuildList,
    ListAppend,
    BuildMap,
    StoreMap,
    StoreSet,
    BuildSet,
    MakeFunctionFromRawCode,
    NativeCallFunctionNKw,
    CallMethodNKw,
    CallMethodNKwVar,
    NativeGetiter,
    NativeIternext,
    NlrPush,
    NlrPop,
    NativeRaise,
    ImportName,
    ImportFrom,
    ImportAll,
    NewSlice,
    UnpackSequence,
    UnpackEx,
    DeleteName,
    DeleteGlobal,
    NewCell,
    MakeClosureFromRawCode,
    ArgCheckNumSig,
    SetupCodeState,
    SmallIntFloorDivide,
    SmallIntModulo,
    NativeYieldFrom,
}

impl Fun {
    /// The table index.
    pub fn index(self) -> usize {
        self as usize
    }

    /// How many arguments the function takes (`mp_f_n_args` of `py/emitnx86.c`; the three
    /// constant objects are loaded, not called, and take none).
    pub fn n_args(self) -> usize {
        use Fun::*;
        match self {
            ConstNoneObj | ConstFalseObj | ConstTrueObj | LoadBuildClass | NlrPop => 0,
            NativeSwapGlobals | LoadName | LoadGlobal | ObjIsTrue | BuildMap | NativeIternext
            | NlrPush | NativeRaise | ImportAll | DeleteName | DeleteGlobal | NewCell => 1,
            ConvertObjToNative | ConvertNativeToObj | LoadAttr | LoadSuperMethod | StoreName
            | StoreGlobal | UnaryOp | BuildTuple | BuildList | ListAppend | BuildSet | StoreSet
            | NativeGetiter | ImportFrom | SmallIntFloorDivide | SmallIntModulo => 2,
            LoadMethod
            | StoreAttr
            | ObjSubscr
            | BinaryOp
            | StoreMap
            | MakeFunctionFromRawCode
            | NativeCallFunctionNKw
            | CallMethodNKw
            | CallMethodNKwVar
            | ImportName
            | NewSlice
            | UnpackSequence
            | UnpackEx
            | MakeClosureFromRawCode
            | ArgCheckNumSig
            | NativeYieldFrom => 3,
            SetupCodeState => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Fun;

    #[test]
    fn indices_follow_runtime0() {
        // Checked against the oracle's x64 code: `mov rax, [rbp + 8 * index]; call rax`.
        assert_eq!(Fun::NativeSwapGlobals.index(), 5);
        assert_eq!(Fun::MakeFunctionFromRawCode.index(), 26);
        assert_eq!(Fun::SetupCodeState.index(), 46);
        assert_eq!(Fun::NativeYieldFrom.index(), 49);
        assert_eq!(Fun::SetupCodeState.n_args(), 4);
        assert_eq!(Fun::BuildSet.index(), 19 + 6);
    }
}
