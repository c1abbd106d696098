/*
 * trim(): glibc's malloc_trim(0), which returns to the system the free memory glibc's malloc arenas keep (the
 * start-up's freed allocations, a busy period's). Node has no API for it. Returns true when memory was released,
 * false when none was or the C library has no malloc_trim (musl, macOS).
 */
#include <node_api.h>
#include <stdbool.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value Trim(napi_env env, napi_callback_info info) {
	(void)info;
	bool released = false;
#if defined(__GLIBC__)
	released = malloc_trim(0) != 0;
#endif
	napi_value result;
	if (napi_get_boolean(env, released, &result) != napi_ok) return NULL;
	return result;
}

static napi_value Init(napi_env env, napi_value exports) {
	napi_value fn;
	if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, Trim, NULL, &fn) != napi_ok) return NULL;
	if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
