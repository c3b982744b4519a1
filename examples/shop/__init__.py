"""A small application with the shapes the SonarSource rule does not see."""
