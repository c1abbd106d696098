/*
 * write(fd, record, end, position): one record of the update log (server/src/store/update-log.ts) to its file —
 * the CRC-32 of record[0, end) written little-endian into record[end, end + 4), then record[0, end + 4) written at
 * `position` with pwrite (again after a short write or EINTR). Returns the bytes written, or -errno when a write
 * failed.
 *
 * Node's fs.writeSync and zlib.crc32 do the same, but each update is logged on the broadcast path at a workshop's
 * pace, when everything it touches is cold: measured with the caches flushed between writes, fs.writeSync took
 * 40-73 µs (p50) where this pwrite takes 18 (docs/benchmarks.md, finding 26). The CRC is IEEE 802.3's (reflected
 * polynomial 0xEDB88320), the one zlib.crc32 computes, so records read back the same either way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <unistd.h>

static uint32_t crc_table[256];

static void fill_crc_table(void) {
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc32_of(const uint8_t *bytes, size_t length) {
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < length; i++) c = crc_table[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static napi_value Write(napi_env env, napi_callback_info info) {
	size_t argc = 4;
	napi_value argv[4];
	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
	int32_t fd;
	void *data;
	size_t data_length;
	uint32_t end;
	int64_t position;
	bool is_buffer = false;
	if (argc < 4 || napi_is_buffer(env, argv[1], &is_buffer) != napi_ok || !is_buffer ||
		napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
		napi_get_buffer_info(env, argv[1], &data, &data_length) != napi_ok ||
		napi_get_value_uint32(env, argv[2], &end) != napi_ok ||
		napi_get_value_int64(env, argv[3], &position) != napi_ok) {
		napi_throw_type_error(env, NULL, "write(fd, record: Buffer, end: number, position: number)");
		return NULL;
	}
	if (fd < 0 || position < 0 || (size_t)end + 4 > data_length) {
		napi_throw_range_error(env, NULL, "write: no room for the checksum, or a negative fd or position");
		return NULL;
	}
	uint8_t *bytes = data;
	uint32_t crc = crc32_of(bytes, end);
	bytes[end] = crc & 0xFF;
	bytes[end + 1] = (crc >> 8) & 0xFF;
	bytes[end + 2] = (crc >> 16) & 0xFF;
	bytes[end + 3] = (crc >> 24) & 0xFF;
	size_t total = (size_t)end + 4;
	size_t done = 0;
	int error = 0;
	while (done < total) {
		ssize_t n = pwrite(fd, bytes + done, total - done, (off_t)(position + (int64_t)done));
		if (n < 0) {
			if (errno == EINTR) continue;
			error = errno;
			break;
		}
		done += (size_t)n;
	}
	napi_value result;
	if (napi_create_double(env, error ? -(double)error : (double)done, &result) != napi_ok) return NULL;
	return result;
}

static napi_value Init(napi_env env, napi_value exports) {
	napi_value fn;
	if (napi_create_function(env, "write", NAPI_AUTO_LENGTH, Write, NULL, &fn) != napi_ok) return NULL;
	if (napi_set_named_property(env, exports, "write", fn) != napi_ok) return NULL;
	return exports;
}

/* The table is filled before any module instance (main thread or worker) can call write. */
__attribute__((constructor)) static void init_table(void) { fill_crc_table(); }

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
