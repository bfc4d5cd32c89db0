fn main() {
    let _ = provision_macros::password_rule!("12:");
}
