//! Reading one `users/details` page of 500 accounts, each shaped as Nextcloud 34 sends
//! it (about 35 fields, of which the library uses seven).
//!
//! `cargo bench -p provision-nextcloud --bench users_details`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use provision_nextcloud::client::parse_users_details;
use provision_nextcloud::hand_written_users_details;

const ACCOUNTS: usize = 500;

/// One record as 34.x sends it (the facts sheet's §4.2 sample), for account `i`.
fn record(i: usize) -> String {
    let used = i * 7919;
    format!(
        concat!(
            r#""cust{i:04}":{{"enabled":true,"storageLocation":"/srv/nextcloud/data/cust{i:04}","#,
            r#""id":"cust{i:04}","firstLoginTimestamp":1700000000,"lastLoginTimestamp":1730000000,"#,
            r#""lastLogin":1730000000000,"backend":"Database","subadmin":[],"#,
            r#""quota":{{"free":{free},"used":{used},"total":10737418240,"relative":0.01,"quota":10737418240}},"#,
            r#""manager":"","email":"cust{i:04}@example.test","additional_mail":[],"#,
            r#""displayname":"Customer {i}","display-name":"Customer {i}","phone":"","address":"","#,
            r#""website":"","twitter":"","fediverse":"","organisation":"","role":"","headline":"","#,
            r#""biography":"","profile_enabled":"1","pronouns":"","groups":["customers","plan-10gb"],"#,
            r#""language":"en","locale":"","timezone":"UTC","notify_email":null,"#,
            r#""backendCapabilities":{{"setDisplayName":true,"setPassword":true}}}}"#
        ),
        i = i,
        used = used,
        free = 10_737_418_240 - used,
    )
}

fn page() -> String {
    let records: Vec<String> = (0..ACCOUNTS).map(record).collect();
    format!(
        r#"{{"ocs":{{"meta":{{"status":"ok","statuscode":200,"message":"OK"}},"data":{{"users":{{{}}}}}}}}}"#,
        records.join(",")
    )
}

fn users_details(c: &mut Criterion) {
    let body = page();
    assert_eq!(
        parse_users_details(200, &body).map(|r| r.len()).ok(),
        Some(ACCOUNTS)
    );
    assert_eq!(
        parse_users_details(200, &body).ok(),
        hand_written_users_details(200, &body).ok()
    );
    let mut group = c.benchmark_group("users/details page of 500");
    group.bench_function("derived keys, raw skipping", |b| {
        b.iter(|| black_box(parse_users_details(200, black_box(&body))))
    });
    group.bench_function("hand-written visitors (details.rs)", |b| {
        b.iter(|| black_box(hand_written_users_details(200, black_box(&body))))
    });
    group.finish();
}

criterion_group!(benches, users_details);
criterion_main!(benches);
