/* Unit tests for device profiles: the embedded files parse, devices match the
 * right family, and bad lines give errors naming file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "backend/opencl/device_profile.h"

static clr_device_profile_table table;

static int load_table(void **state) {
    clr_error err = {{0}};
    if (clr_device_profile_table_load(&table, &err) != CLR_OK) {
        print_error("%s\n", err.msg);
        return -1;
    }
    return 0;
}

static void embedded_profiles_load(void **state) {
    static const char *const expected[] = {"adreno-5xx", "adreno-6xx",   "adreno-7xx", "generic",
                                           "intel",      "mali-bifrost", "mali-midgard", "mali-valhall",
                                           "nvidia",     "pocl",         "powervr"};
    assert_int_equal(table.count, sizeof expected / sizeof expected[0]);
    for (size_t i = 0; i < table.count; i++) {
        assert_string_equal(table.profiles[i].name, expected[i]);
        /* The file name is the profile name, so `--profile NAME` is guessable. */
        assert_int_equal(strncmp(table.profiles[i].file, expected[i], strlen(expected[i])), 0);
    }
    assert_string_equal(table.profiles[table.generic].name, "generic");
    const clr_device_profile *pocl = clr_device_profile_find(&table, "pocl");
    assert_non_null(pocl);
    assert_int_equal(pocl->storage, CLR_STORAGE_BUFFER);
    assert_int_equal(pocl->fp16, CLR_FP16_NONE);
    assert_int_equal(pocl->max_image_width, 8192);
    assert_null(clr_device_profile_find(&table, "adreno-9xx"));
}

static const char *match(const char *name, const char *vendor, const char *version) {
    return clr_device_profile_match(&table, name, vendor, version)->name;
}

static void devices_match_their_family(void **state) {
    assert_string_equal(match("QUALCOMM Adreno(TM) 640", "QUALCOMM", "OpenCL 2.0 Adreno(TM) 640"), "adreno-6xx");
    assert_string_equal(match("Adreno 640", "Qualcomm", "OpenCL 2.0"), "adreno-6xx");
    assert_string_equal(match("QUALCOMM Adreno(TM) 540", "QUALCOMM", "OpenCL 2.0"), "adreno-5xx");
    assert_string_equal(match("QUALCOMM Adreno(TM) 740", "QUALCOMM", "OpenCL 3.0"), "adreno-7xx");
    assert_string_equal(match("Mali-G76", "ARM", "OpenCL 2.0 v1.r26p0"), "mali-bifrost");
    assert_string_equal(match("Mali-G71", "ARM", "OpenCL 2.0"), "mali-bifrost");
    /* "mali-g71" is a prefix of "Mali-G710": the longer pattern must win. */
    assert_string_equal(match("Mali-G710", "ARM", "OpenCL 3.0 v1.r38p1"), "mali-valhall");
    assert_string_equal(match("Mali-T860", "ARM", "OpenCL 1.2 v1.r14p0"), "mali-midgard");
    assert_string_equal(match("PowerVR Rogue GE8320", "Imagination Technologies", "OpenCL 1.2"), "powervr");
    assert_string_equal(match("pthread-haswell-AMD EPYC", "AuthenticAMD",
                              "OpenCL 3.0 PoCL HSTR: pthread-x86_64-pc-linux-gnu-haswell"),
                        "pocl");
    assert_string_equal(match("pthread-skylake", "GenuineIntel", "OpenCL 3.0 PoCL HSTR: pthread"), "pocl");
    assert_string_equal(match("Intel(R) UHD Graphics 620", "Intel(R) Corporation", "OpenCL 3.0 NEO"), "intel");
    assert_string_equal(match("NVIDIA H100 80GB HBM3", "NVIDIA Corporation", "OpenCL 3.0 CUDA"), "nvidia");
    assert_string_equal(match("Some Accelerator", "Acme", "OpenCL 1.2"), "generic");
    assert_string_equal(match("Mali-G76", "Acme", "OpenCL 1.2"), "generic"); /* vendor must match too */
}

static void parse_reads_every_key(void **state) {
    static const char text[] = "# comment\n\nname = test  # trailing comment\nmatch_device = a|b\n"
                               "storage=image\nfp16 = none\npreferred_local_size = 64\nmax_image_width = 16384\n"
                               "quirks = x y\n";
    clr_device_profile p;
    clr_error err = {{0}};
    assert_int_equal(clr_device_profile_parse("t.conf", text, sizeof text - 1, &p, &err), CLR_OK);
    assert_string_equal(p.name, "test");
    assert_string_equal(p.match_device, "a|b");
    assert_int_equal(p.storage, CLR_STORAGE_IMAGE);
    assert_int_equal(p.fp16, CLR_FP16_NONE);
    assert_int_equal(p.preferred_local_size, 64);
    assert_int_equal(p.max_image_width, 16384);
    assert_string_equal(p.quirks, "x y");
    assert_string_equal(clr_storage_name(p.storage), "image");
    assert_string_equal(clr_fp16_trust_name(p.fp16), "none");
}

static void parse_rejects_bad_lines(void **state) {
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"name = x\njust words\n", "bad.conf:2: expected 'key = value'"},
        {"name = x\ncolour = red\n", "bad.conf:2: unknown key: colour = red"},
        {"name = x\n\nstorage = texture\n", "bad.conf:3: storage must be buffer or image: storage = texture"},
        {"fp16 = maybe\n", "bad.conf:1: fp16 must be trusted, untrusted or none: fp16 = maybe"},
        {"name = x\nmax_image_width = 12k\n", "bad.conf:2: expected a number up to 1048576: max_image_width = 12k"},
        {"name = x\npreferred_local_size = -4\n",
         "bad.conf:2: expected a number up to 1048576: preferred_local_size = -4"},
        {"= value\n", "bad.conf:1: bad key"},
        {"storage = buffer\n", "bad.conf: no 'name' key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        clr_device_profile p;
        clr_error err = {{0}};
        assert_int_equal(clr_device_profile_parse("bad.conf", bad[i].text, strlen(bad[i].text), &p, &err),
                         CLR_ERR_FORMAT);
        assert_string_equal(err.msg, bad[i].msg);
    }
    char long_line[600] = "name = ";
    memset(long_line + 7, 'x', 400);
    clr_device_profile p;
    clr_error err = {{0}};
    assert_int_equal(clr_device_profile_parse("long.conf", long_line, strlen(long_line), &p, &err), CLR_ERR_FORMAT);
    assert_string_equal(err.msg, "long.conf:1: value too long");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(embedded_profiles_load),
        cmocka_unit_test(devices_match_their_family),
        cmocka_unit_test(parse_reads_every_key),
        cmocka_unit_test(parse_rejects_bad_lines),
    };
    return cmocka_run_group_tests(tests, load_table, NULL);
}
