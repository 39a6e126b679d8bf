@testable import ChainSidecar
import ChainTestSupport
import Control
import Foundation
import Testing
import TestSupport
import Web

/// The testbed through coinsentry-web over a running chain sidecar: the REST routes (the token for changes, problem
/// details for refusals and unknown runs, the labels download) and the testbed page rendered by headless Chromium.
@Suite(.serialized, .timeLimit(.minutes(5))) struct WebTestbedTests {
    static let unavailable = WebConsoleTests.unavailable
    static let bearer = "Authorization: Bearer \(WebConsoleTests.token)"

    /// The run once neither its generation nor its training is running (the suite's time limit bounds the wait).
    static func settled(_ console: WebConsoleTests.Console, _ id: String) async throws -> JSONValue {
        while true {
            let run = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)")
            #expect(run.status == 200)
            let json = try #require(run.json)
            if json["state"]?.string != "running" && json["training"]?["state"]?.string != "running" { return json }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test(.enabled(if: unavailable == nil && WebConsoleTests.chromium != nil,
                   Comment(rawValue: unavailable ?? "chromium is not installed (scripts/setup installs Debian's)")))
    func aRunIsStartedWatchedDownloadedAndTrainedOnThroughTheConsole() async throws {
        let directory = try TemporaryDirectory()
        let (sidecar, _) = try await WebConsoleTests.sidecar(in: directory)
        try await WebConsoleTests.withConsole(chain: sidecar) { console in
            let scenarios = try await WebConsoleTests.fetch(console, "/api/v1/testbed/scenarios")
            #expect(scenarios.status == 200)
            #expect(scenarios.json?["scenarios"]?.array?.compactMap { $0["name"]?.string } == ["classes", "rich", "small"])
            #expect(scenarios.json?["maximum_blocks"]?.number == Double(WebConsoleTests.testbedMaximumBlocks))

            // Starting changes state: the token, or a session with the console's header, even on loopback.
            let body = #"{"scenario": "small", "seed": 5, "blocks": 2}"#
            let anonymous = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs", method: "POST", body: body)
            #expect(anonymous.status == 401)
            #expect(anonymous.headers.lowercased().contains("application/problem+json"))
            let login = try await WebConsoleTests.fetch(console, "/api/v1/session", method: "POST",
                                                        body: #"{"token":"\#(WebConsoleTests.token)"}"#, cookies: true)
            #expect(login.status == 200)
            let forged = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs", method: "POST", body: body,
                                                         cookies: true)
            #expect(forged.status == 403, "a session without the console's header starts nothing")
            let tooMany = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs", method: "POST",
                                                          body: #"{"scenario": "small", "blocks": 50}"#,
                                                          headers: [Self.bearer])
            #expect(tooMany.status == 400)
            #expect(tooMany.json?["detail"]?.string == "blocks must be from 1 to 4 ([testbed] max_blocks), not 50")
            let unknown = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs", method: "POST",
                                                          body: #"{"scenario": "nonesuch"}"#, headers: [Self.bearer])
            #expect(unknown.status == 400 && unknown.json?["detail"]?.string?.hasPrefix("there is no scenario") == true)
            let listedBefore = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs")
            #expect(listedBefore.json?["runs"]?.array?.isEmpty == true, "nothing refused was started")

            // The run is held before it generates, so a second start meets it running: 409, and the same request
            // succeeds later.
            let release = DispatchSemaphore(value: 0)
            sidecar.testbed.beforeWork.withLock { $0 = { release.wait() } }
            let started = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs", method: "POST", body: body,
                                                          headers: ["X-CoinSentry-Request: console"], cookies: true)
            #expect(started.status == 202, "\(started.body)")
            let id = try #require(started.json?["id"]?.string)
            #expect(started.json?["state"]?.string == "running")
            let busy = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs", method: "POST", body: body,
                                                       headers: [Self.bearer])
            #expect(busy.status == 409 && busy.json?["detail"]?.string == "run \(id) is still running; one testbed run at a time",
                    "\(busy.status) \(busy.body)")
            sidecar.testbed.beforeWork.withLock { $0 = {} }
            release.signal()

            let missing = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/run-99")
            #expect(missing.status == 404 && missing.json?["detail"]?.string == "there is no testbed run 'run-99'")
            let notAnID = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/run-01")
            #expect(notAnID.status == 400 && notAnID.json?["detail"]?.string?.hasPrefix("id is a testbed run's id") == true)
            let missingLabels = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/run-99/labels")
            #expect(missingLabels.status == 404)
            let missingTraining = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/run-99/train",
                                                                  method: "POST", headers: [Self.bearer])
            #expect(missingTraining.status == 404)
            let anonymousTraining = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)/train",
                                                                    method: "POST")
            #expect(anonymousTraining.status == 401)

            let run = try await Self.settled(console, id)
            #expect(run["state"]?.string == "finished", "\(run)")
            let height = try #require(run["height"]?.number)
            #expect(run["final_height"]?.number == height)
            let labelled = try #require(run["labelled_addresses"]?.number)
            #expect(labelled > 0)

            let labels = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)/labels")
            #expect(labels.status == 200)
            #expect(labels.headers.lowercased().contains("content-type: text/csv"))
            #expect(labels.headers.lowercased().contains("content-disposition: attachment; filename=\"\(id)-labels.csv\""))
            let lines = labels.body.split(separator: "\n")
            #expect(lines.first == "address,class,set,actor,behaviour")
            #expect(Double(lines.count - 1) == labelled, "one line per labelled address")

            let training = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)/train", method: "POST",
                                                           headers: [Self.bearer])
            #expect(training.status == 202 && training.json?["training"]?["state"]?.string == "running")
            let trained = try await Self.settled(console, id)
            #expect(trained["training"]?["state"]?.string == "finished", "\(trained)")
            let fitted = try #require(trained["training"]?["fitted"]?.number)
            #expect(fitted > 0)

            // The page, as a browser renders it: the finished run's blocks, labels and training.
            let page = try await WebConsoleTests.rendered(console, "/testbed.html?run=\(id)")
            #expect(page.contains("Block \(Int(height)) of \(Int(height))"), "the run's blocks: \(page)")
            #expect(page.contains("\(Int(labelled)) labelled addresses"), "the run's labels count")
            #expect(page.contains("/api/v1/testbed/runs/\(id)/labels"), "the labels download")
            #expect(page.contains("Trained a random forest on \(Int(fitted)) addresses"), "the training's result")
            #expect(page.contains("<option value=\"small\">small</option>"), "the scenarios to pick from")
            #expect(page.contains(">\(id)</a>"), "the runs table lists the run")
            #expect(!page.contains("coinsentry-chaind is not running"))
            #expect(page.contains("<div class=\"mb-2\" id=\"delete-box\">"), "a run that has ended can be deleted")

            // Deleting changes state: the token; then the run is gone.
            let anonymousDelete = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)", method: "DELETE")
            #expect(anonymousDelete.status == 401)
            let deleted = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)", method: "DELETE",
                                                          headers: [Self.bearer])
            #expect(deleted.status == 200 && deleted.json?["id"]?.string == id, "\(deleted.status) \(deleted.body)")
            let afterDelete = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs/\(id)")
            #expect(afterDelete.status == 404)
            let listedAfter = try await WebConsoleTests.fetch(console, "/api/v1/testbed/runs")
            #expect(listedAfter.json?["runs"]?.array?.isEmpty == true)
        }
    }
}
