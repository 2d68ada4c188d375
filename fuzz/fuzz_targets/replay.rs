#![no_main]
//! Fuzz target `replay`: the body is `wutriage::fuzzing::replay` (see docs/fuzzing.md).

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: wutriage::fuzzing::install_panic_hook(),
    |data: &[u8]| wutriage::fuzzing::replay(data)
);
