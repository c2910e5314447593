/* clrun — CLR_API marks the public functions. The library is compiled with
 * hidden visibility, so libclrun.so exports exactly the functions declared
 * with CLR_API in include/clrun/ (tests/unit/check_exports.py checks it). */
#ifndef CLRUN_EXPORT_H
#define CLRUN_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define CLR_API __attribute__((visibility("default")))
#else
#define CLR_API
#endif

#endif /* CLRUN_EXPORT_H */
