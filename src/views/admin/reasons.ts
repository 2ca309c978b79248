// The reason texts live in a plain module so the CLI shows the same sentences.
export { describeReasons } from "../../comments/reason-text";
