const DISCORD_EPOCH = 1420070400000n;

/** Generates realistic 18-19 digit snowflakes from the fake clock (discord.js decodes their timestamps). */
export function createSnowflakes(now: () => number): () => string {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    const ms = BigInt(Math.floor(now())) - DISCORD_EPOCH;
    return ((ms << 22n) | (1n << 17n) | increment).toString();
  };
}

/** Shard that owns a guild: `(guild_id >> 22) % num_shards` (gateway.mdx, "Sharding"). */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
