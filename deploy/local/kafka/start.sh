#!/usr/bin/env bash
# Starts a single-node Apache Kafka 3.9 broker in KRaft mode on 127.0.0.1 (no ZooKeeper, no Docker): fetches
# the jars from Maven Central on first use, formats the storage once, starts the broker in the background
# and waits until it accepts connections. Idempotent: a broker already answering is left alone.
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA_DIR (.lab/kafka), KAFKA_HEAP (512m)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
data="${KAFKA_DATA_DIR:-$root/.lab/kafka}"
heap="${KAFKA_HEAP:-512m}"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

if answers; then
  echo "kafka: a broker already answers on 127.0.0.1:$port"
  exit 0
fi
command -v java >/dev/null || { echo "kafka: java is not installed (Java 17 runs the broker)" >&2; exit 1; }
if [ ! -f "$here/lib/kafka_2.13-3.9.1.jar" ]; then
  command -v mvn >/dev/null || { echo "kafka: mvn is not installed (it fetches the broker jars from Maven Central)" >&2; exit 1; }
  echo "kafka: fetching the broker jars from Maven Central (once)"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$here/lib" -DincludeScope=runtime
fi

mkdir -p "$data/logs"
cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
num.partitions=8
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
cat > "$data/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$data/broker.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS

java_cp=("-cp" "$here/lib/*")
if [ ! -f "$data/logs/meta.properties" ]; then
  cluster_id="$(java "-Dlog4j.configuration=file:$data/log4j.properties" "${java_cp[@]}" kafka.tools.StorageTool random-uuid)"
  java "-Dlog4j.configuration=file:$data/log4j.properties" "${java_cp[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" >/dev/null
fi

nohup java "-Xms128m" "-Xmx$heap" "-Dlog4j.configuration=file:$data/log4j.properties" "${java_cp[@]}" kafka.Kafka "$data/server.properties" \
  >>"$data/broker.out" 2>&1 &
echo $! >"$data/broker.pid"
for _ in $(seq 1 120); do
  if answers; then
    echo "kafka: broker ready on 127.0.0.1:$port (pid $(cat "$data/broker.pid"), data $data)"
    exit 0
  fi
  if ! kill -0 "$(cat "$data/broker.pid")" 2>/dev/null; then
    echo "kafka: the broker exited; last lines of $data/broker.out:" >&2
    tail -20 "$data/broker.out" >&2
    exit 1
  fi
  sleep 0.5
done
echo "kafka: the broker did not answer within 60 s; see $data/broker.log" >&2
exit 1
