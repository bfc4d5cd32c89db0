fn main() {
    let _ = provision_macros::name_rule!("{client_id}-{year");
}
