import { call, say, showSession } from "./console.js";

showSession();
document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = document.getElementById("token").value.trim();
  try {
    await call("/session", "POST", { token });
    say("Logged in: changes are allowed for twelve hours.", "success");
    showSession();
  } catch (error) {
    say(error.message);
  }
});
