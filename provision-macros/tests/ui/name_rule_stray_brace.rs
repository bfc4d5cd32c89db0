fn main() {
    let _ = provision_macros::name_rule!("user}{client_id}");
}
