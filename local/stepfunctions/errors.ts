/**
 * The error a Task fails with: Step Functions matches Retry/Catch on `name` (the Lambda error
 * type, `DynamoDB.ConditionalCheckFailedException`, …) and puts `message` in the Cause.
 */
export class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** An API error of the local Step Functions / Scheduler services (`__type` on the wire). */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}
