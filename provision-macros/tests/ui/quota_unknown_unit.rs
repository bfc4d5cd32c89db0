fn main() {
    let _ = provision_macros::quota!(10 XB);
}
