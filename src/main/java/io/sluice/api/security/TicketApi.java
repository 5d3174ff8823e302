package io.sluice.api.security;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.live.IssuedTicket;
import io.sluice.security.live.StreamIdentity;
import io.sluice.security.live.StreamTickets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /security/tickets}: a stream ticket for the authenticated caller, answered as {@code {"ticket",
 * "expires_at", "principal"}} ({@code expires_at} in epoch millis). Any authenticated caller may have tickets: a
 * ticket grants nothing its holder could not do with the credential, only lets a browser open one stream without
 * putting the credential in a URL. Registered only when security is on. Non-blocking.
 */
public final class TicketApi {

    public static final String PATH = "/security/tickets";

    private final StreamTickets tickets;
    private final ObjectMapper mapper;

    public TicketApi(StreamTickets tickets, ObjectMapper mapper) {
        this.tickets = tickets;
        this.mapper = mapper;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route(POST(PATH), this::issue);
    }

    private Mono<ServerResponse> issue(ServerRequest request) {
        return request.principal()
                .switchIfEmpty(Mono.error(() -> new SluiceException(ErrorCode.UNAUTHORIZED, "authentication required")))
                .flatMap(caller -> {
                    StreamIdentity identity = StreamIdentities.of(caller);
                    IssuedTicket ticket = tickets.issue(identity);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("ticket", ticket.ticket());
                    body.put("expires_at", ticket.expiresAt());
                    body.put("principal", identity.principal());
                    return ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .header("Cache-Control", "no-store")
                            .bodyValue(mapper.writeValueAsString(body));
                });
    }
}
