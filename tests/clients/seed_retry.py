# The seed document's retry script (shared/seed/redis-notes.zh.md, "代码操作redis服务"),
# exactly as the document shows it, but for one thing: its comments were wrapped in HTML
# comment markers (<!-- ... -->), which Python can't read, and are Python comments here.
# tests/clients/clients.test.mjs runs it with redis-py (through run_seed.py, which moves
# the world clock at each time.sleep) against the RESP bridge.
import redis
import time

# 连接到 Redis
r = redis.Redis(host='localhost', port=6379, db=0)

# 假设操作标识符为 "operation_id"
operation_id = "123"

 # 设置 Redis 键的过期时间，例如 5 分钟后触发重推
r.setex(operation_id, 300, "pending")

 # 处理重推逻辑
while True:
    status = r.get(operation_id)
    if status == "pending":
        current_time = time.time()
        expiration_time = r.ttl(operation_id)
        if expiration_time <= 0:
            # 重推逻辑，例如发送操作请求
            print("Retrying operation...")
            # 更新重推次数
            r.incr(operation_id + "_retry_count")
            # 设置下一次重推的过期时间，例如 10 分钟后
            r.expire(operation_id, 600)
        else:
            print(f"Waiting for {expiration_time} seconds before retrying...")
        time.sleep(1)  # 等待一秒钟再次检查
    else:
        print("Operation completed or exceeded maximum retries.")
        # 删除 Redis 键
        r.delete(operation_id)
        break
