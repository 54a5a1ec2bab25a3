//! Photos sent by anyone through the public web report: no input panics or hangs the metadata
//! stripping, and whatever working copy comes out is no larger than its original (nothing is
//! added) and, for a JPEG, is a complete image from start to end-of-image marker.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for mime in ["image/jpeg", "image/png", "application/pdf"] {
        if let Some(copy) = ozodi_media::working_copy(mime, data) {
            assert!(copy.len() <= data.len() + 2, "{mime}: the copy grew");
            if mime == "image/jpeg" {
                assert!(copy.starts_with(&[0xFF, 0xD8]) && copy.ends_with(&[0xFF, 0xD9]));
            }
        }
    }
});
