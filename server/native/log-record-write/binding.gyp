{
  "targets": [
    {
      "target_name": "log_record_write",
      "sources": ["log-record-write.c"],
      "cflags": ["-O2"]
    }
  ]
}
