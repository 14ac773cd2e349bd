package cloud.cegedim.itcareproxy.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An answer in ITCare's error envelope, thrown from a handler and rendered by {@link Errors#handleFailure}. It carries
 * no stack trace: it is an answer, not a bug.
 */
final class ApiError extends RuntimeException {

    static final String INVALID_FIELD_VALUE = "INVALID_FIELD_VALUE";

    private final int status;
    private final String errorCode;
    private final String errorDesc;
    private final String errorMessage;

    ApiError(int status, String errorCode, String errorDesc, String errorMessage) {
        super(errorCode + ": " + errorDesc, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.errorDesc = errorDesc;
        this.errorMessage = errorMessage;
    }

    /** An error with ITCare's defaults: the status name as code, its documented meaning as message. */
    static ApiError of(int status, String errorDesc) {
        return new ApiError(status, Errors.statusName(status), errorDesc, Errors.meaning(status));
    }

    static ApiError notFound(String errorDesc) {
        return of(404, errorDesc);
    }

    /** The only error code ITCare documents, worded like its published example. */
    static ApiError invalidField(String field) {
        return new ApiError(400, INVALID_FIELD_VALUE, field, "Error on field '" + field + "'");
    }

    static ApiError malformedBody(String errorMessage) {
        return new ApiError(400, Errors.statusName(400), "body", errorMessage);
    }

    int status() {
        return status;
    }

    ObjectNode toJson() {
        return Errors.envelope(status, errorCode, errorDesc, errorMessage);
    }
}
