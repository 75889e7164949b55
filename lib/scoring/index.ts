export * from "./bands";
export * from "./decline";
export * from "./points";
export * from "./score";
