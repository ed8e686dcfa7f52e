// Keeps the parse library non-empty until its first parser lands.
namespace bulwark::parse {
int kParseLibraryAnchor = 0;
}  // namespace bulwark::parse
