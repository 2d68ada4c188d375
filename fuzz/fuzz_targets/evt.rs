#![no_main]
//! Fuzz target `evt`: the body is `wutriage::fuzzing::evt` (see docs/fuzzing.md).

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: wutriage::fuzzing::install_panic_hook(),
    |data: &[u8]| wutriage::fuzzing::evt(data)
);
