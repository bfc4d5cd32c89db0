fn main() {
    let rule = "{client_id}";
    let _ = provision_macros::name_rule!(rule);
}
