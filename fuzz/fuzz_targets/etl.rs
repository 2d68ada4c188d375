#![no_main]
//! Fuzz target `etl`: the body is `wutriage::fuzzing::etl` (see docs/fuzzing.md).

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: wutriage::fuzzing::install_panic_hook(),
    |data: &[u8]| wutriage::fuzzing::etl(data)
);
