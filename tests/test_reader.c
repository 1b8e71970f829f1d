/* test_reader.c: the helpers every lattice-file reader shares (host/lattice/reader.c):
 * hop_lf_bad writes the one-line "FILE:LINE: problem" (or "FILE: problem") every load
 * error reports, cut to the caller's buffer; hop_lf_is_word accepts names of 1..max
 * letters, digits, '_' and the given extras; hop_lf_vec prints a vector as "(x y z)".
 * The whole reader is tested through lattice files in test_lattice_file.c. */
#include <criterion/criterion.h>
#include <string.h>
#include "lattice/reader.h"

static reader reader_for(const char *path, char *msg, size_t msg_len)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.msg = msg;
    r.msg_len = msg_len;
    return r;
}

Test(reader, bad_names_file_and_line)
{
    char msg[256];
    reader r = reader_for("lattices/kagome.lat", msg, sizeof msg);
    cr_assert_eq(hop_lf_bad(&r, 12, "jump %d of %s: %s", 3, "A", "not a neighbour"),
                 HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "lattices/kagome.lat:12: jump 3 of A: not a neighbour");
    cr_assert_eq(hop_lf_bad(&r, 0, "no `jumps` line"), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "lattices/kagome.lat: no `jumps` line", "line 0: the file only");
}

Test(reader, bad_is_cut_to_the_buffer)
{
    char msg[64];
    memset(msg, '#', sizeof msg);
    reader r = reader_for("a.lat", msg, 16);
    hop_lf_bad(&r, 7, "a problem described at length");
    cr_assert_str_eq(msg, "a.lat:7: a prob", "15 characters and the terminator");
    cr_assert_eq(msg[16], '#', "nothing written past msg_len");
    r = reader_for("a_rather_long_path.lat", msg, 8);
    hop_lf_bad(&r, 7, "anything");
    cr_assert_str_eq(msg, "a_rathe");
}

Test(reader, words)
{
    cr_assert(hop_lf_is_word("fcc", 8, ""));
    cr_assert(hop_lf_is_word("Kagome_2", 8, ""));
    cr_assert(hop_lf_is_word("x", 1, ""), "one character is enough");
    cr_assert_not(hop_lf_is_word("", 8, ""), "empty");
    cr_assert_not(hop_lf_is_word("abcdefghi", 8, ""), "longer than max");
    cr_assert(hop_lf_is_word("abcdefgh", 8, ""), "exactly max");
    cr_assert_not(hop_lf_is_word("a-b", 8, ""));
    cr_assert(hop_lf_is_word("a-b", 8, "-"), "an extra character is allowed");
    cr_assert(hop_lf_is_word("-", 8, "-"));
    cr_assert_not(hop_lf_is_word("a b", 8, "-"));
    cr_assert_not(hop_lf_is_word("a.b", 8, "-"));
    cr_assert_not(hop_lf_is_word("caf\xc3\xa9", 8, ""), "ASCII only");
}

Test(reader, vectors)
{
    char buf[48];
    const int v[3] = { 1, -2, 30 };
    cr_assert_str_eq(hop_lf_vec(buf, v, 3), "(1 -2 30)");
    cr_assert_str_eq(hop_lf_vec(buf, v, 2), "(1 -2)");
    cr_assert_str_eq(hop_lf_vec(buf, v, 1), "(1)");
    const int extreme[3] = { -2147483647 - 1, 2147483647, 0 };
    cr_assert_str_eq(hop_lf_vec(buf, extreme, 3), "(-2147483648 2147483647 0)",
                     "the widest vector fits the 48 bytes promised");
}
