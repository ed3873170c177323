//! The C of one frozen raw code and its children, as mpy-tool.py 1.11's `freeze` prints it:
//! the `fun_data` array with qstrs patched in by name, the constant objects, the const table
//! and the `mp_raw_code_t`.

use super::escape::{hash_value, push_hex_escapes};
use super::load::{
    unpack_u16, LoadedCode, Obj, QstrTable, MP_CODE_BYTECODE, MP_CODE_NATIVE_PY,
    MP_CODE_NATIVE_VIPER,
};
use super::pynum::format_g16;
use super::{FreezeError, LongIntImpl};
use num_bigint::{BigUint, Sign};
use num_traits::Zero;
use rawcode::opcode::{format_of, has_cache_byte, has_extra_byte};
use rawcode::OpFormat;
use std::collections::HashSet;
use std::fmt::Write;

/// What the frozen C depends on beyond the raw codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmitConfig {
    /// `MICROPY_OPT_CACHE_MAP_LOOKUP_IN_BYTECODE` of the last file read.
    pub cache_lookup_bc: bool,
    /// The native arch of the last file read.
    pub native_arch: u8,
    pub longint: LongIntImpl,
    pub mpz_dig_size: i64,
    pub bytes_in_hash: usize,
}

/// Writes raw codes, keeping the escaped names used so far unique as the reference does.
pub struct CodeEmitter<'a> {
    pub out: &'a mut String,
    pub table: &'a QstrTable,
    pub config: EmitConfig,
    pub escaped_names: &'a mut HashSet<String>,
    /// Every escaped name given, in order, when set.
    pub given_names: Option<&'a mut Vec<String>>,
}

/// A raw code with the names the emitter gave it.
struct Named<'c> {
    code: &'c LoadedCode,
    parent_name: String,
    escaped_name: String,
    children: Vec<String>,
}

impl CodeEmitter<'_> {
    /// `RawCode.freeze(parent_name)`: the children first, then this raw code. Returns its
    /// escaped name.
    pub fn freeze(&mut self, code: &LoadedCode, parent_name: &str) -> Result<String, FreezeError> {
        // Depth-first without recursion: each frame holds a raw code being frozen and the
        // escaped names of the children already done.
        let root = self.name(code, parent_name)?;
        let mut stack: Vec<Named> = vec![root];
        loop {
            let top = stack
                .last_mut()
                .expect("stack holds the root until it is done");
            let done = top.children.len();
            if let Some(child) = top.code.children.get(done) {
                let prefix = format!("{}_", top.escaped_name);
                let named = self.name(child, &prefix)?;
                stack.push(named);
                continue;
            }
            let finished = stack.pop().expect("non-empty");
            self.body(&finished)?;
            match stack.last_mut() {
                Some(p) => p.children.push(finished.escaped_name),
                None => return Ok(finished.escaped_name),
            }
        }
    }

    /// `freeze_children`'s naming: the parent's prefix and the escaped simple name, with a
    /// number from 2 up appended until it is unique.
    fn name<'c>(
        &mut self,
        code: &'c LoadedCode,
        parent_name: &str,
    ) -> Result<Named<'c>, FreezeError> {
        let esc = &self.table.get(code.simple_name, "qstr_esc")?.esc;
        let mut name = format!("{parent_name}{esc}");
        let mut i = 2u64;
        while self.escaped_names.contains(&name) {
            name = format!("{parent_name}{esc}{i}");
            i += 1;
        }
        self.escaped_names.insert(name.clone());
        if let Some(given) = self.given_names.as_deref_mut() {
            given.push(name.clone());
        }
        Ok(Named {
            code,
            parent_name: parent_name.to_string(),
            escaped_name: name,
            children: Vec::with_capacity(code.children.len()),
        })
    }

    fn body(&mut self, n: &Named) -> Result<(), FreezeError> {
        if n.code.kind == MP_CODE_BYTECODE {
            self.bytecode(n)?;
        } else {
            self.native(n)?;
        }
        self.constants(n)?;
        self.raw_code_struct(n)
    }

    /// Appends the lines for the simple name and source file packed at `ip2`.
    fn names_lines(&mut self, code: &LoadedCode) -> Result<(), FreezeError> {
        let simple = &self.table.get(code.simple_name, "qstr_id")?.esc;
        let source = self.source_file(code)?;
        let source = &self.table.get(source, "qstr_id")?.esc;
        let _ = writeln!(
            self.out,
            "    MP_QSTR_{simple} & 0xff, MP_QSTR_{simple} >> 8,\n    MP_QSTR_{source} & 0xff, MP_QSTR_{source} >> 8,"
        );
        Ok(())
    }

    fn source_file(&self, code: &LoadedCode) -> Result<usize, FreezeError> {
        code.source_file.ok_or_else(|| FreezeError::Python {
            kind: "AttributeError",
            message: "'RawCodeNative' object has no attribute 'source_file'".into(),
        })
    }

    fn hex_line(&mut self, data: &[u8]) {
        let mut line = String::from("   ");
        for b in data {
            let _ = write!(line, " 0x{b:02x},");
        }
        line.push('\n');
        self.out.push_str(&line);
    }

    fn bytecode(&mut self, n: &Named) -> Result<(), FreezeError> {
        let code = n.code;
        let data = &code.data;
        let parent_name = &n.parent_name;
        self.out.push('\n');
        let source = self.source_file(code)?;
        let comment = format!(
            "// frozen bytecode for file {}, scope {}{}\n",
            self.table.get(source, "str")?.text,
            parent_name,
            self.table.get(code.simple_name, "str")?.text
        );
        self.out.push_str(&comment);
        let constness = if self.config.cache_lookup_bc {
            ""
        } else {
            "const "
        };
        let _ = writeln!(
            self.out,
            "STATIC {constness}byte fun_data_{}[{}] = {{",
            n.escaped_name,
            data.len()
        );
        self.hex_line(&data[..code.ip2]);
        self.names_lines(code)?;
        self.hex_line(data.get(code.ip2 + 4..code.ip).unwrap_or(&[]));
        let mut ip = code.ip;
        let oob = || FreezeError::python("IndexError", "bytearray index out of range");
        while ip < data.len() {
            let op = data[ip];
            let f = format_of(op);
            let sz = match f {
                OpFormat::Qstr => 3 + usize::from(has_cache_byte(op, self.config.cache_lookup_bc)),
                OpFormat::VarUint => {
                    let mut p = ip + 1;
                    while data.get(p).ok_or_else(oob)? & 0x80 != 0 {
                        p += 1;
                    }
                    p + 1 - ip + usize::from(has_extra_byte(op))
                }
                OpFormat::Offset => 3 + usize::from(has_extra_byte(op)),
                OpFormat::Byte => 1 + usize::from(has_extra_byte(op)),
            };
            if f == OpFormat::Qstr {
                let q = unpack_u16(data, ip + 1)?;
                let id = &self.table.get(q, "qstr_id")?.esc;
                let extra = if sz == 3 {
                    String::new()
                } else {
                    format!(" 0x{:02x},", data.get(ip + 3).ok_or_else(oob)?)
                };
                let _ = writeln!(
                    self.out,
                    "    0x{op:02x}, MP_QSTR_{id} & 0xff, MP_QSTR_{id} >> 8, {extra}"
                );
            } else {
                let bytes = data.get(ip..ip + sz).ok_or_else(oob)?;
                let mut line = String::from("    ");
                for b in bytes {
                    let _ = write!(line, "0x{b:02x}, ");
                }
                line.push('\n');
                self.out.push_str(&line);
            }
            ip += sz;
        }
        self.out.push_str("};\n");
        Ok(())
    }

    /// Native code of any kind: the machine code 16 bytes a line, then for native Python
    /// its prelude with the names patched. (A native raw code with qstr links never gets
    /// here: the reference fails reading their table.)
    fn native(&mut self, n: &Named) -> Result<(), FreezeError> {
        let code = n.code;
        let data = &code.data;
        let parent_name = &n.parent_name;
        self.out.push('\n');
        let comment = match code.kind {
            MP_CODE_NATIVE_PY => {
                let source = self.source_file(code)?;
                format!(
                    "// frozen native code for file {}, scope {}{}\n",
                    self.table.get(source, "str")?.text,
                    parent_name,
                    self.table.get(code.simple_name, "str")?.text
                )
            }
            MP_CODE_NATIVE_VIPER => format!("// frozen viper code for scope {parent_name}\n"),
            _ => format!("// frozen assembler code for scope {parent_name}\n"),
        };
        self.out.push_str(&comment);
        let section = if matches!(self.config.native_arch, 1 | 2) {
            "__attribute__((section(\".text,\\\"ax\\\",@progbits # \")))"
        } else {
            "__attribute__((section(\".text,\\\"ax\\\",%progbits @ \")))"
        };
        let _ = writeln!(
            self.out,
            "STATIC const byte fun_data_{}[{}] {section} = {{",
            n.escaped_name,
            data.len()
        );
        let top = match code.prelude_offset {
            Some(po) => po,
            None => data.len(),
        };
        for chunk in data[..top.min(data.len())].chunks(16) {
            self.hex_line(chunk);
        }
        if code.kind == MP_CODE_NATIVE_PY {
            let po = code.prelude_offset.unwrap_or(0);
            self.hex_line(data.get(po..code.ip2).unwrap_or(&[]));
            self.names_lines(code)?;
            self.hex_line(data.get(code.ip2 + 4..code.ip).unwrap_or(&[]));
        }
        self.out.push_str("};\n");
        Ok(())
    }

    fn constants(&mut self, n: &Named) -> Result<(), FreezeError> {
        let code = n.code;
        let name = &n.escaped_name;
        for (i, obj) in code.objs.iter().enumerate() {
            let obj_name = format!("const_obj_{name}_{i}");
            match obj {
                Obj::FunTable => {}
                Obj::Ellipsis => {
                    let _ = writeln!(self.out, "#define {obj_name} mp_const_ellipsis_obj");
                }
                Obj::Str(data) | Obj::Bytes(data) => {
                    let ty = if matches!(obj, Obj::Str(_)) {
                        "mp_type_str"
                    } else {
                        "mp_type_bytes"
                    };
                    let mut line = format!(
                        "STATIC const mp_obj_str_t {obj_name} = {{{{&{ty}}}, {}, {}, (const byte*)\"",
                        hash_value(data, self.config.bytes_in_hash),
                        data.len()
                    );
                    push_hex_escapes(&mut line, data);
                    line.push_str("\"};\n");
                    self.out.push_str(&line);
                }
                Obj::Int(value) => self.int(code, &obj_name, value)?,
                Obj::Float(v) => {
                    let _ = writeln!(
                        self.out,
                        "#if MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_A || MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_B\n\
                         STATIC const mp_obj_float_t {obj_name} = {{{{&mp_type_float}}, {}}};\n#endif",
                        format_g16(*v)
                    );
                }
                Obj::Complex(re, im) => {
                    let _ = writeln!(
                        self.out,
                        "STATIC const mp_obj_complex_t {obj_name} = {{{{&mp_type_complex}}, {}, {}}};",
                        format_g16(*re),
                        format_g16(*im)
                    );
                }
            }
        }
        let table_len = code.qstrs.len() + code.objs.len() + code.children.len();
        if table_len == 0 {
            return Ok(());
        }
        let _ = writeln!(
            self.out,
            "STATIC const mp_rom_obj_t const_table_data_{name}[{table_len}] = {{"
        );
        for &q in &code.qstrs {
            let id = &self.table.get(q, "qstr_id")?.esc;
            let _ = writeln!(self.out, "    MP_ROM_QSTR(MP_QSTR_{id}),");
        }
        for (i, obj) in code.objs.iter().enumerate() {
            match obj {
                Obj::FunTable => self.out.push_str("    mp_fun_table,\n"),
                Obj::Float(v) => {
                    let _ = writeln!(
                        self.out,
                        "#if MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_A || MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_B\n    \
                         MP_ROM_PTR(&const_obj_{name}_{i}),\n#elif MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_C"
                    );
                    let single = *v as f32;
                    if single.is_infinite() && !v.is_infinite() {
                        return Err(FreezeError::python(
                            "OverflowError",
                            "float too large to pack with f format",
                        ));
                    }
                    let c = (u64::from(single.to_bits()) & !0x3 | 2) + 0x8080_0000;
                    let d = u128::from(v.to_bits()) + 0x8004_0000_0000_0000;
                    let _ = writeln!(
                        self.out,
                        "    (mp_rom_obj_t)(0x{c:08x}),\n#elif MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_D\n    \
                         (mp_rom_obj_t)(0x{d:016x}),\n#endif"
                    );
                }
                _ => {
                    let _ = writeln!(self.out, "    MP_ROM_PTR(&const_obj_{name}_{i}),");
                }
            }
        }
        for child in &n.children {
            let _ = writeln!(self.out, "    MP_ROM_PTR(&raw_code_{child}),");
        }
        self.out.push_str("};\n");
        Ok(())
    }

    fn int(
        &mut self,
        code: &LoadedCode,
        obj_name: &str,
        value: &num_bigint::BigInt,
    ) -> Result<(), FreezeError> {
        let fail = |this: &Self, message: &str| -> FreezeError {
            let source = code
                .source_file
                .and_then(|q| this.table.get(q, "str").ok())
                .map(|e| e.text.to_string())
                .unwrap_or_default();
            FreezeError::Freeze {
                file: source,
                message: message.to_string(),
            }
        };
        match self.config.longint {
            LongIntImpl::None => Err(fail(self, "target does not support long int")),
            LongIntImpl::LongLong => {
                Err(fail(self, "freezing int to long-long is not implemented"))
            }
            LongIntImpl::Mpz => {
                let bits = self.config.mpz_dig_size;
                let neg = u8::from(value.sign() == Sign::Minus);
                let mut z: BigUint = value.magnitude().clone();
                if !z.is_zero() && bits < 0 {
                    return Err(FreezeError::python("ValueError", "negative shift count"));
                }
                if !z.is_zero() && bits == 0 {
                    return Err(FreezeError::MpzDigSizeZero);
                }
                let mut digs = Vec::new();
                if !z.is_zero() {
                    let bits = bits as u64;
                    let mask = (BigUint::from(1u32) << bits) - 1u32;
                    while !z.is_zero() {
                        digs.push(format!("{:#x}", &z & &mask));
                        z >>= bits;
                    }
                }
                let _ = writeln!(
                    self.out,
                    "STATIC const mp_obj_int_t {obj_name} = {{{{&mp_type_int}}, {{.neg={neg}, .fixed_dig=1, .alloc={n}, .len={n}, .dig=(uint{bits}_t*)(const uint{bits}_t[]){{{}}}}}}};",
                    digs.join(","),
                    n = digs.len(),
                );
                Ok(())
            }
        }
    }

    fn raw_code_struct(&mut self, n: &Named) -> Result<(), FreezeError> {
        let code = n.code;
        let name = &n.escaped_name;
        let simple = &self.table.get(code.simple_name, "str")?.text;
        let kind = match code.kind {
            MP_CODE_BYTECODE => "MP_CODE_BYTECODE",
            MP_CODE_NATIVE_PY => "MP_CODE_NATIVE_PY",
            MP_CODE_NATIVE_VIPER => "MP_CODE_NATIVE_VIPER",
            _ => "MP_CODE_NATIVE_ASM",
        };
        let storage = if &**simple != "<module>" {
            "STATIC "
        } else {
            ""
        };
        let const_table = if code.qstrs.len() + code.objs.len() + code.children.len() > 0 {
            format!("(mp_uint_t*)const_table_data_{name}")
        } else {
            "NULL".into()
        };
        let _ = write!(
            self.out,
            "{storage}const mp_raw_code_t raw_code_{name} = {{\n    .kind = {kind},\n    .scope_flags = 0x{:02x},\n    \
             .n_pos_args = {},\n    .fun_data = fun_data_{name},\n    .const_table = {const_table},\n    \
             #if MICROPY_PERSISTENT_CODE_SAVE\n    .fun_data_len = {},\n    .n_obj = {},\n    .n_raw_code = {},\n    \
             #if MICROPY_EMIT_NATIVE || MICROPY_EMIT_INLINE_ASM\n    .prelude_offset = {},\n    .n_qstr = 0,\n    \
             .qstr_link = NULL,\n    #endif\n    #endif\n    #if MICROPY_EMIT_NATIVE || MICROPY_EMIT_INLINE_ASM\n    \
             .type_sig = {},\n    #endif\n}};\n",
            code.scope_flags,
            code.n_pos_args,
            code.data.len(),
            code.objs.len(),
            code.children.len(),
            code.prelude_offset.unwrap_or(0),
            code.type_sig,
        );
        Ok(())
    }
}
