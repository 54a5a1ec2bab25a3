//! A submitted record form, as the web layer receives it (URL-encoded pairs), for every record
//! type: no panic, and whatever is accepted survives the stored JSON form unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ozodi_domain::record::{Data, Input, Kind};

struct Form(Vec<(String, String)>);

impl Input for Form {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

fuzz_target!(|body: &[u8]| {
    let form = Form(form_urlencoded::parse(body).into_owned().collect());
    for kind in Kind::ALL {
        if let Ok(data) = Data::parse(kind, &form) {
            let stored = data.to_json();
            assert_eq!(Data::from_json(kind, &stored), data, "{kind:?}: the stored form changes the record");
        }
    }
});
